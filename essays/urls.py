from django.urls import path

from . import views

app_name = "essays"

urlpatterns = [
    path("kirjat/", views.book_list, name="book_list"),
    path("kirjat/<recordslug:slug>/", views.book_detail, name="book"),
    path("ihmiset/<recordslug:slug>/", views.person_detail, name="person"),
    path("tiimit/", views.team_list, name="team_list"),
    path("tiimit/<recordslug:slug>/", views.team_detail, name="team"),
]
