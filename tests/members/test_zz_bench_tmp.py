import time, datetime, io
from django.urls import reverse
from tests.members.test_import import xlsx, person, upload, latest_import, commit

def test_bench(client, county, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(county.education_admin)
    rows = [person(f"人{i}", county.education_branch.name, birth=datetime.date(1960 + i % 40, 1 + i % 12, 1 + i % 28)) for i in range(3000)]
    content = xlsx(rows)
    t = time.time(); upload(client, content); print("validate", time.time() - t)
    imp = latest_import(); print(imp.status, imp.valid_rows, imp.invalid_rows, imp.message)
    t = time.time(); commit(client, imp); print("commit", time.time() - t)
    imp.refresh_from_db(); print(imp.status, imp.created_count, imp.message)
    t = time.time(); r = client.get(reverse("members:import_report", args=[imp.pk])); print("report", time.time() - t, len(r.content))
