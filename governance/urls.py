from .views import pages

app_name = "governance"

urlpatterns = [
    *pages.PAGES.urls(),
]
