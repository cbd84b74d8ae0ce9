"""Case handling's pages in the portal (casework/portal_views.py), mounted at the root
with the namespace ``grant``."""

from django.urls import path

from . import portal_views as views

urlpatterns = [
    path("soknader/<int:pk>/brev/<int:letter_id>/", views.letter_view, name="letter"),
    path("soknader/<int:pk>/aksepter/", views.accept_view, name="accept"),
    path("soknader/<int:pk>/klage/", views.appeal_view, name="appeal"),
    path("soknader/<int:pk>/endring/", views.change_request_view, name="change_request"),
    path("utlysninger/<int:pk>/tilskuddsmottakere/", views.recipients_view,
         name="recipients"),
]
