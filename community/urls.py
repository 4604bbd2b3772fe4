from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("kommentit/<int:page_id>/", views.comment, name="comment"),
    path("kommentit/poista/<int:comment_id>/", views.delete_comment, name="delete_comment"),
    path("arviot/<int:page_id>/", views.rate, name="rate"),
    path("kuukauden-essee/", views.essay_of_month, name="essay_of_month"),
    path("kuukauden-essee/ehdota/<int:page_id>/", views.nominate, name="nominate"),
    path("kuukauden-essee/aanesta/<int:nomination_id>/", views.vote_month, name="vote_month"),
]
