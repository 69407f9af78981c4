"""Routes of the quizzes side (测试、每日一练、组织测试): included by partyedu/quizzes/urls.py."""

from django.urls import path

from . import views_quiz as v

urlpatterns = [
    # members
    path("mine/", v.my_quizzes, name="quiz_mine"),
    path("daily/", v.daily, name="quiz_daily"),
    path("daily/start/", v.daily_start, name="quiz_daily_start"),
    path("<int:pk>/", v.quiz_intro, name="quiz_intro"),
    path("<int:pk>/start/", v.quiz_start, name="quiz_start"),
    path("attempts/<int:pk>/", v.quiz_attempt, name="quiz_attempt"),
    path("attempts/<int:pk>/answer/<int:position>/", v.quiz_answer, name="quiz_answer"),
    path("attempts/<int:pk>/submit/", v.quiz_submit, name="quiz_submit"),
    path("attempts/<int:pk>/result/", v.quiz_result, name="quiz_result"),
    # organisers
    path("manage/", v.quiz_list, name="quiz_list"),
    path("manage/new/", v.quiz_create, name="quiz_create"),
    path("manage/<int:pk>/", v.quiz_manage, name="quiz_manage"),
    path("manage/<int:pk>/edit/", v.quiz_edit, name="quiz_edit"),
    path("manage/<int:pk>/questions/", v.quiz_questions, name="quiz_questions"),
    path("manage/<int:pk>/rules/", v.quiz_rules, name="quiz_rules"),
    path("manage/<int:pk>/rules/count/", v.quiz_rule_count, name="quiz_rule_count"),
    path("manage/<int:pk>/audience/", v.quiz_audience, name="quiz_audience"),
    path("manage/<int:pk>/publish/", v.quiz_publish, name="quiz_publish"),
    path("manage/<int:pk>/close/", v.quiz_close, name="quiz_close"),
    path("manage/<int:pk>/results/", v.quiz_results, name="quiz_results"),
    path("manage/<int:pk>/results.xlsx", v.quiz_results_export, name="quiz_results_export"),
    path("manage/<int:pk>/participation/", v.quiz_participation, name="quiz_participation"),
]
