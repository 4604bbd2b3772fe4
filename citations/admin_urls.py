from django.urls import path

from . import views

app_name = "citations_admin"

urlpatterns = [
    path("insert/", views.insert_citation, name="insert"),
    path("import/", views.import_view, name="import"),
    path("export/<str:file_format>/", views.export_view, name="export"),
]
