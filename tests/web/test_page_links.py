"""The links every page carries (the menu, the style sheet) are built once and remembered (issue 11, item 7),
yet they always lead under the root the app is served from, and a page's own links still carry its values."""
from __future__ import annotations


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
