"""Recommendation routes: a finance branch member is never recommended what the education bureau published for its
own subtree."""

from tests.access_rules import Own

ROUTES = {
    "learning:recommendations": Own(must_not_show=("教育局内部学习资料",)),
}
