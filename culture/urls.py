from .views import pages

app_name = "culture"

urlpatterns = [
    *pages.PAGES.urls(),
]
