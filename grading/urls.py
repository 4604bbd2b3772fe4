from django.urls import path

from . import views

urlpatterns = [
    path("own/", views.OwnPointsView.as_view(), name="own"),
    path("leaderboard/", views.LeaderboardView.as_view(), name="leaderboard"),
    path("teams/<int:team_id>/", views.TeamPointsView.as_view(), name="team"),
    path("awards/", views.AwardListView.as_view(), name="awards"),
    path("awards/<int:award_id>/correct/", views.CorrectAwardView.as_view(), name="correct"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("grade/<int:task_state_id>/", views.GradeView.as_view(), name="grade"),
    path("grade/<int:task_state_id>/compare/", views.CompareWithPreviousView.as_view(), name="compare"),
    path(
        "grade/<int:task_state_id>/originality/<int:essay_id>/accept/",
        views.AcceptMatchView.as_view(),
        name="accept_match",
    ),
    path(
        "grade/<int:task_state_id>/originality/<int:essay_id>/withdraw/",
        views.WithdrawAcceptanceView.as_view(),
        name="withdraw_acceptance",
    ),
]
