from django.urls import path

from .views import open_affairs, pages

app_name = "governance"

urlpatterns = [
    *pages.PAGES.urls(),
    # 居务公开
    path("open-affairs/catalogue/", open_affairs.catalogue_list, name="catalogue"),
    path("open-affairs/catalogue/new/", open_affairs.catalogue_create, name="catalogue_create"),
    path("open-affairs/catalogue/<int:pk>/", open_affairs.catalogue_edit, name="catalogue_edit"),
    path("open-affairs/", open_affairs.publication_list, name="publications"),
    path("open-affairs/publications.xlsx", open_affairs.publication_export, name="publication_export"),
    path("open-affairs/new/", open_affairs.publication_create, name="publication_create"),
    path("open-affairs/<int:pk>/", open_affairs.publication_detail, name="publication_detail"),
    path("open-affairs/<int:pk>/edit/", open_affairs.publication_edit, name="publication_edit"),
    path("open-affairs/<int:pk>/mirror/", open_affairs.mirror_create, name="mirror_create"),
    # 居民会议和协商议事
    path("meetings/", open_affairs.meeting_list, name="meetings"),
    path("meetings/meetings.xlsx", open_affairs.meeting_export, name="meeting_export"),
    path("meetings/new/", open_affairs.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", open_affairs.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", open_affairs.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/decisions/new/", open_affairs.decision_create, name="decision_create"),
    path("decisions/", open_affairs.decision_list, name="decisions"),
    path("decisions/decisions.xlsx", open_affairs.decision_export, name="decision_export"),
    path("decisions/<int:pk>/", open_affairs.decision_edit, name="decision_edit"),
    # 民主评议、自治章程和居民公约
    path("evaluations/", open_affairs.evaluation_list, name="evaluations"),
    path("evaluations/evaluations.xlsx", open_affairs.evaluation_export, name="evaluation_export"),
    path("evaluations/new/", open_affairs.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", open_affairs.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", open_affairs.evaluation_edit, name="evaluation_edit"),
    path("documents/", open_affairs.document_list, name="documents"),
    path("documents/documents.xlsx", open_affairs.document_export, name="document_export"),
    path("documents/new/", open_affairs.document_create, name="document_create"),
    path("documents/<int:pk>/", open_affairs.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", open_affairs.document_edit, name="document_edit"),
]
