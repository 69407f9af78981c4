from .urls_bank import urlpatterns as bank_urlpatterns

app_name = "quizzes"
urlpatterns: list = [*bank_urlpatterns]

try:  # quiz-taking pages and daily tests, built alongside the bank
    from .urls_quiz import urlpatterns as quiz_urlpatterns
except ModuleNotFoundError as exc:  # only a missing module is skipped; a broken one must fail loudly
    if exc.name != f"{__package__}.urls_quiz":
        raise
    quiz_urlpatterns = []
urlpatterns += quiz_urlpatterns
