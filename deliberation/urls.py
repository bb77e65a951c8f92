from django.urls import path

from deliberation.views import followup, topics, votes

app_name = "deliberation"
urlpatterns = [
    path("", topics.TopicListView.as_view(), name="topics"),
    path("new/", topics.TopicCreateView.as_view(), name="topic_new"),
    path("propose/", topics.TopicProposeView.as_view(), name="propose"),
    path("t/<int:pk>/", topics.TopicDetailView.as_view(), name="topic"),
    path("t/<int:pk>/cosign/", topics.CosignView.as_view(), name="cosign"),
    path("t/<int:pk>/answer/", topics.AnswerView.as_view(), name="answer"),
    path("t/<int:pk>/phase/", topics.PhaseView.as_view(), name="phase"),
    path("t/<int:pk>/dates/", topics.DatesView.as_view(), name="dates"),
    path("t/<int:pk>/decision/", topics.DecisionView.as_view(), name="decision"),
    path("t/<int:pk>/comment/", topics.CommentCreateView.as_view(), name="comment"),
    path("t/<int:pk>/vote/new/", votes.VoteCreateView.as_view(), name="vote_new"),
    path(
        "t/<int:pk>/meeting/", followup.MeetingCreateView.as_view(), name="meeting_new"
    ),
    path(
        "t/<int:pk>/progress/",
        followup.ProgressCreateView.as_view(),
        name="progress_new",
    ),
    path("t/<int:pk>/rate/", followup.RatingView.as_view(), name="rate"),
    path("c/<int:pk>/edit/", topics.CommentEditView.as_view(), name="comment_edit"),
    path(
        "c/<int:pk>/report/", topics.CommentReportView.as_view(), name="comment_report"
    ),
    path("c/<int:pk>/hide/", topics.CommentHideView.as_view(), name="comment_hide"),
    path("v/<int:pk>/", votes.VoteDetailView.as_view(), name="vote"),
    path("v/<int:pk>/edit/", votes.VoteEditView.as_view(), name="vote_edit"),
    path("v/<int:pk>/paper/", votes.PaperBallotView.as_view(), name="paper_ballot"),
    path("v/<int:pk>/print/", votes.VotePrintView.as_view(), name="vote_print"),
    path("v/<int:pk>/poster/", votes.VotePosterView.as_view(), name="vote_poster"),
]
