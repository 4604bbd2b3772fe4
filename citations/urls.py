from django.urls import path

from . import views

app_name = "citations"

urlpatterns = [
    path("lahteet/", views.source_list, name="source_list"),
    path("lahteet/<int:pk>/", views.source_detail, name="source"),
]
