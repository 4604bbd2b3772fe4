from django.urls import path

from . import views

app_name = "essays"

urlpatterns = [
    path("kirjat/", views.book_list, name="book_list"),
    path("kirjat/<str:slug>/", views.book_detail, name="book"),
    path("ihmiset/<str:slug>/", views.person_detail, name="person"),
    path("tiimit/", views.team_list, name="team_list"),
    path("tiimit/<str:slug>/", views.team_detail, name="team"),
]
