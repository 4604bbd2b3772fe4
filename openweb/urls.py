from django.urls import path

from . import feeds, views

app_name = "openweb"

urlpatterns = [
    path("syotteet/esseet/", feeds.EssayFeed(), name="feed"),
    path("syotteet/tagit/<str:slug>/", feeds.TagFeed(), name="tag_feed"),
    path("syotteet/kasitteet/<str:slug>/", feeds.ConceptFeed(), name="concept_feed"),
    path("syotteet/kirjat/<str:slug>/", feeds.BookFeed(), name="book_feed"),
    path("syotteet/ihmiset/<str:slug>/", feeds.PersonFeed(), name="person_feed"),
    path("syotteet/tiimit/<str:slug>/", feeds.TeamFeed(), name="team_feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("api/v2/openapi.json", views.openapi_description, name="openapi"),
]
