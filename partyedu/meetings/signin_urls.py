app_name = "signin"
urlpatterns = []
