"""The links every page carries (the menu, the style sheet) are built once and remembered (issue 11, item 7),
yet they always lead under the root the app is served from, and a page's own links still carry its values."""
from __future__ import annotations

import re


def test_the_menu_and_style_sheet_follow_the_root_the_app_is_served_under(citizen_client):
    for root in ("", "/urzad", "", "/e-urzad"):
        page = citizen_client.get("/", base_url=f"http://localhost{root}/").get_data(as_text=True)
        assert f'href="{root}/static/eurzad.css"' in page and f'href="{root}/drafts/"' in page
        assert f'href="{root}/account/"' in page or f'href="{root}/account"' in page
        assert f'action="{root}/logout"' in page
        for form in ("fault-report", "public-information", "housing-allowance"):  # links with their own values
            assert f'href="{root}/forms/{form}"' in page


def test_a_draft_page_links_to_its_own_address(citizen_client):
    location = citizen_client.start("fault-report")
    page = citizen_client.get(location).get_data(as_text=True)
    assert f'action="{location}"' in page


def test_each_user_sees_the_menu_of_their_own_roles_their_name_and_language_links_to_this_page(app, make_user):
    """The header is drawn once per language and set of roles: who comes next never gets another's."""
    from eurzad.auth.models import Role
    citizen, clerk, visitor = app.test_client(), app.test_client(), app.test_client()
    citizen.login(make_user(full_name="Ala <Nowak> & syn").email)
    clerk.login(make_user(Role.CLERK, department="OR", full_name="Ewa Urzędniczka").email)
    for _ in range(2):
        for lang in ("pl", "en"):
            for browser in (citizen, clerk, visitor):
                browser.get(f"/?lang={lang}")
            mine = citizen.get("/?q=wniosek&x=1").get_data(as_text=True)
            assert "Ala &lt;Nowak&gt; &amp; syn" in mine and "Urzędniczka" not in mine
            assert 'href="/drafts/"' in mine and 'href="/clerk/"' not in mine
            other = "en" if lang == "pl" else "pl"
            assert f'href="/?q=wniosek&amp;x=1&amp;lang={other}"' in mine
            staff = clerk.get("/").get_data(as_text=True)
            assert "Ewa Urzędniczka" in staff and "Nowak" not in staff and 'href="/drafts/"' not in staff
            assert 'href="/clerk/"' in staff and ("Department inbox" if lang == "en" else "Skrzynka wydziału") in staff
            anyone = visitor.get("/").get_data(as_text=True)
            assert 'action="/logout"' not in anyone and 'href="/login"' in anyone and "Nowak" not in anyone
            tokens = {re.search(r'action="/logout".*?name="csrf_token" value="([^"]+)"', page, re.S).group(1)
                      for page in (mine, staff)}
            assert len(tokens) == 2  # each browser's own form token in its log-out button
