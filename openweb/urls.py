from django.urls import path

from . import feeds, views

app_name = "openweb"

urlpatterns = [
    path("syotteet/esseet/", feeds.EssayFeed(), name="feed"),
    path("syotteet/tagit/<recordslug:slug>/", feeds.TagFeed(), name="tag_feed"),
    path("syotteet/kasitteet/<recordslug:slug>/", feeds.ConceptFeed(), name="concept_feed"),
    path("syotteet/kirjat/<recordslug:slug>/", feeds.BookFeed(), name="book_feed"),
    path("syotteet/ihmiset/<recordslug:slug>/", feeds.PersonFeed(), name="person_feed"),
    path("syotteet/tiimit/<recordslug:slug>/", feeds.TeamFeed(), name="team_feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("api/v2/openapi.json", views.openapi_description, name="openapi"),
]
