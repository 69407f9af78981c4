app_name = "readingclub"
urlpatterns = []
