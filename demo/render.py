"""Pure renderers for the demo world: feeds, article pages, homepages and robots.txt."""
from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from string import Template
from typing import Any, Iterable, Literal, Mapping, Sequence
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from demo.world import DemoArticle, DemoOutlet

logger = logging.getLogger(__name__)

MetaKind = Literal["jsonld", "og", "url"]


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletStyle:
    """The look and metadata habits of one outlet's website and feed."""

    css: str
    domain: str
    tagline: str
    nav: tuple[str, ...]
    home_label: str = "Home"
    byline_prefix: str = "By"
    no_author: str
    date_fmt: str
    utc_offset_h: int = 0
    meta: MetaKind = "jsonld"
    tracking: str = ""
    full_content: bool = False
    old_charset: bool = False
    cookie: str
    cookie_accept: str
    cookie_reject: str
    newsletter_title: str
    newsletter_text: str
    newsletter_button: str
    read_more: str
    share_label: str
    wall_title: str = "Subscribe to continue reading"
    wall_text: str
    wall_button: str
    footer: tuple[str, ...]
    copyright: str
    analytics: str
    comments_title: str = ""
    comments: tuple[tuple[str, str], ...] = ()


_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
}
_WEEKDAYS = {"en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
             "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
             "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")}

STYLES: Mapping[str, OutletStyle] = {
    "meridian": OutletStyle(
        css="mw", domain="meridianwire.example",
        tagline="Independent news for the world's newsrooms",
        nav=("World", "Business", "Markets", "Politics", "Technology", "Climate", "Health",
             "Sports", "Fact Check", "Pictures"),
        no_author="Meridian staff", date_fmt="$month $d, $yyyy $h12:$MM $ampm GMT",
        full_content=True,
        cookie=("Meridian and its partners use cookies to keep this site secure, remember your "
                "choices and measure how our reporting is read. You can change your mind at any "
                "time under Privacy Settings."),
        cookie_accept="Accept all", cookie_reject="Manage choices",
        newsletter_title="The Morning Dispatch",
        newsletter_text=("The five stories you need before the markets open, delivered to your "
                         "inbox every weekday at 6am London time."),
        newsletter_button="Sign up", read_more="Related coverage", share_label="Share this story",
        wall_text="Register for free to read unlimited Meridian stories.", wall_button="Register",
        footer=("About Meridian", "Careers", "Trust Principles", "Contact Us", "Advertise",
                "Meridian Connect", "Media Licensing", "Corrections", "Accessibility",
                "Terms of Use", "Privacy Policy", "Cookie Settings", "Modern Slavery Statement",
                "Sitemap"),
        copyright="© 2024 Meridian Wire Ltd. All rights reserved. Market data delayed by at "
                  "least 15 minutes.",
        analytics=('window.mwq = window.mwq || [];\nmwq.push(["pageview", {"story": $id, '
                   '"desk": $section}]);\n(function (d) { var s = d.createElement("script"); '
                   's.async = true; s.src = "/static/mw-metrics.js"; d.head.appendChild(s); '
                   '})(document);')),
    "hpr": OutletStyle(
        css="hpr", domain="hollinradio.example", tagline="News from Hollin Public Radio",
        nav=("News", "Ireland", "World", "Politics", "Business", "Climate", "Culture", "Sport",
             "Podcasts", "Listen Live", "Schedule"),
        no_author="HPR News", date_fmt="$wd $d $mon $yyyy, $HH:$MM",
        cookie=("We use essential cookies to run HPR News and, with your permission, optional "
                "cookies that help us learn which programmes and articles listeners find useful."),
        cookie_accept="Allow optional cookies", cookie_reject="Essential cookies only",
        newsletter_title="HPR Evening Briefing",
        newsletter_text=("A calm round-up of the day's news from the HPR newsroom, sent at 7pm "
                         "every evening. Free of charge, unsubscribe whenever you like."),
        newsletter_button="Subscribe for free", read_more="Also on HPR", share_label="Share",
        wall_text="Supporters of HPR can read this report in full.", wall_button="Support HPR",
        footer=("About HPR", "Licence Fee", "Complaints", "Editorial Standards", "Jobs",
                "Accessibility Help", "Contact the Newsroom", "Terms of Use", "Privacy Notice",
                "Cookies", "Irish Language Service", "Frequencies"),
        copyright="© Hollin Public Radio 2024. HPR is not responsible for the content of "
                  "external sites.",
        analytics=('var hprStats = {page: $id, programme: "news", section: $section};\n'
                   'document.addEventListener("DOMContentLoaded", function () { '
                   'navigator.sendBeacon && navigator.sendBeacon("/stats/hit", '
                   'JSON.stringify(hprStats)); });')),
    "volga": OutletStyle(
        css="vi", domain="volga-international.example", tagline="The world as it is",
        nav=("Russia", "World", "Ukraine Crisis", "Economy", "Opinion", "Documentaries", "Live",
             "Analysis", "Video", "Sport"),
        no_author="Volga International", date_fmt="$dd.$mm.$yyyy $HH:$MM MSK", utc_offset_h=3,
        meta="og", tracking="?utm_source=rss&utm_medium=feed", old_charset=True,
        cookie=("This website uses cookies. By staying on the page you agree to our use of "
                "cookies for analytics and personalised content."),
        cookie_accept="OK", cookie_reject="Learn more",
        newsletter_title="Stay informed",
        newsletter_text=("Get the stories the mainstream press leaves out, straight to your "
                         "inbox every morning."),
        newsletter_button="Join", read_more="Read also", share_label="Share with friends",
        wall_text="This material is available to registered readers.", wall_button="Register",
        footer=("About us", "Contacts", "Editorial policy", "Advertising", "Mobile apps",
                "Telegram channel", "RSS", "Archive", "Terms of use", "Privacy policy",
                "Our correspondents", "Press releases"),
        copyright="© Volga International, 2005–2024. Registered as a mass medium. Reproduction "
                  "permitted with an active hyperlink.",
        analytics=('(function (w) { w.viCounter = w.viCounter || []; w.viCounter.push({id: $id, '
                   'rubric: $section, ts: Date.now()}); })(window);'),
        comments_title="Comments",
        comments=(
            ("Sergei K.", "Interesting how the Western press forgets to mention who started "
                          "all of this in the first place."),
            ("truth_seeker_77", "Follow the money. Someone is always getting rich while "
                                "ordinary people pay for it."),
            ("Marina from Kazan", "Thank you for showing the other side. You will not read "
                                  "this anywhere else."),
            ("Dave in Ohio", "As an American I am tired of paying for quarrels on the other "
                             "side of the world."),
            ("Ivan_P", "The numbers here differ from what I saw yesterday on another site. "
                       "Which ones are right?"),
            ("Olga Bestuzheva", "History repeats itself and Europe never learns its lessons."),
            ("anon_reader", "Everyone has propaganda. The only question is whose you decide "
                            "to believe."),
            ("Hans-Jürgen", "Greetings from Bavaria. Many of us here think the same but "
                            "rarely say it out loud."),
        )),
    "ledger": OutletStyle(
        css="cl", domain="capital-ledger.example", tagline="Markets. Money. Power.",
        nav=("Home", "Markets", "Companies", "Economy", "World", "Politics", "Opinion",
             "Lex Notes", "Personal Finance", "Data"),
        no_author="Ledger reporters", date_fmt="$d $month $yyyy, $HH:$MM GMT",
        cookie=("The Capital Ledger uses cookies and similar technologies to personalise "
                "advertising and to analyse subscriptions. Select Accept to consent or Reject "
                "to decline non-essential cookies."),
        cookie_accept="Accept", cookie_reject="Reject",
        newsletter_title="Ledger Close",
        newsletter_text=("Our markets editor on what moved prices today and why it matters "
                         "tomorrow. Included with every subscription."),
        newsletter_button="Add to my newsletters", read_more="More on this topic",
        share_label="Gift this article",
        wall_text=("Ledger journalism is paid for by its readers. Try four weeks for £1, then "
                   "£59 a month. Cancel at any time."), wall_button="Start your trial",
        footer=("Help Centre", "About Us", "Accessibility", "Ledger Live Events", "Careers",
                "Advertise with the Ledger", "Terms & Conditions", "Privacy Policy",
                "Manage Cookies", "Copyright", "Slavery Statement", "Group Subscriptions",
                "Ledger Archive", "Contact Us"),
        copyright="© The Capital Ledger Ltd 2024. 'Ledger' and 'The Capital Ledger' are "
                  "trademarks of The Capital Ledger Ltd.",
        analytics=('window.ledgerData = {contentId: $id, section: $section, '
                   'access: "metered"};\nwindow.ledgerQueue = window.ledgerQueue || [];\n'
                   'ledgerQueue.push(["track", "article_view", window.ledgerData]);')),
    "tribune": OutletStyle(
        css="wt", domain="workerstribune.example",
        tagline="News and analysis for working people",
        nav=("Home", "Labor", "Politics", "World", "Anti-War", "Economy", "Culture", "Opinion",
             "Podcast", "Donate"),
        no_author="Tribune staff", date_fmt="$month $d, $yyyy", meta="url", full_content=True,
        cookie=("This site sets a small number of cookies to keep you logged in and to count "
                "visitors. We never sell reader data to advertisers."),
        cookie_accept="Got it", cookie_reject="Read our privacy pledge",
        newsletter_title="Get the Tribune in your inbox",
        newsletter_text=("A weekly digest of reporting from the picket lines and the halls of "
                         "power. No ads and no billionaire owners."),
        newsletter_button="Subscribe", read_more="Read more from the Tribune",
        share_label="Spread the word",
        wall_text="Become a sustaining member to read the full story.", wall_button="Join now",
        footer=("About the Tribune", "Masthead", "Write for us", "Submission guidelines",
                "Become a member", "Donate", "Events", "Contact", "Reprint policy",
                "Privacy pledge", "Archive", "RSS feed"),
        copyright="Workers' Tribune Online is reader-supported. Content licensed under "
                  "Creative Commons BY-NC-SA 4.0.",
        analytics=('var _wtq = _wtq || [];\n_wtq.push(["trackPageView", $id]);\n'
                   '_wtq.push(["setCustomDimension", 1, $section]);')),
    "clarion": OutletStyle(
        css="dc", domain="dailyclarion.example", tagline="Britain's Brightest Paper",
        nav=("News", "Politics", "Royals", "World News", "Money", "Sport", "Showbiz", "TV",
             "Health", "Travel", "Puzzles", "Weather"),
        no_author="Clarion Reporter", date_fmt="$HH:$MM, $d $mon $yyyy",
        tracking="?utm_source=rss&utm_medium=feed&utm_campaign=clarion_news",
        cookie=("We value your privacy. The Clarion and our 412 partners store and access "
                "information on your device to show you personalised ads and content, measure "
                "performance and develop new products."),
        cookie_accept="I ACCEPT", cookie_reject="MORE OPTIONS",
        newsletter_title="Get the Clarion's top stories free",
        newsletter_text=("Sign up to our daily email packed with the biggest headlines, "
                         "exclusives and money-saving offers."),
        newsletter_button="SIGN ME UP", read_more="READ MORE", share_label="SHARE",
        wall_text="Clarion+ members get every exclusive in full. Join for 99p.",
        wall_button="Join Clarion+",
        footer=("Contact us", "Help", "Advertise with us", "Clarion Bingo", "Clarion Holidays",
                "Voucher Codes", "Puzzles", "Competitions", "Editorial complaints",
                "Terms & conditions", "Privacy notice", "Cookie notice", "Syndication",
                "Archive", "Site map"),
        copyright="© The Daily Clarion 2024. Published by Clarion Newsgroup Ltd, registered in "
                  "England.",
        analytics=('window.dcAds = window.dcAds || {slots: []};\ndcAds.slots.push("mpu-1", '
                   '"billboard");\nwindow.dcTrack && dcTrack("article", {id: $id, channel: '
                   '$section});'),
        comments_title="Have your say",
        comments=(
            ("Brian from Kettering", "Same old story. The politicians talk tough and the rest "
                                     "of us pick up the bill, as usual."),
            ("PatriotPaula", "Good. About time somebody showed a bit of backbone instead of "
                             "wringing their hands."),
            ("Disgusted of Dorking", "And not one word about what all this costs the ordinary "
                                     "taxpayer. Typical."),
            ("Geoff1962", "I served for twenty-two years and the lads on the ground deserve "
                          "better than this lot."),
            ("sensible_sue", "Can we have some news about this country for once? The potholes "
                             "on my road are older than my grandson."),
            ("Mick the Builder", "Read it twice and I'm still none the wiser. Who exactly is "
                                 "paying for it?"),
            ("RoyalistRon", "Mark my words, it will all end in tears and somebody will blame "
                            "the weather."),
            ("Jan W, Swindon", "Well written piece for once. Credit where it's due."),
        )),
    "alliance": OutletStyle(
        css="an", domain="alliance-newsroom.example",
        tagline="Official news from the Alliance press office",
        nav=("Newsroom", "Press Releases", "Speeches", "Transcripts", "Photos", "Videos",
             "Topics", "Member States", "Events", "Contact"),
        no_author="Press Office", date_fmt="$d $mon. $yyyy",
        cookie=("This website uses only the cookies it needs to work and anonymous visit "
                "statistics. No information is shared with third parties."),
        cookie_accept="Understood", cookie_reject="Cookie policy",
        newsletter_title="Newsroom alerts",
        newsletter_text=("Receive press releases, speeches and transcripts by email as soon as "
                         "they are published."),
        newsletter_button="Register", read_more="Related news", share_label="Share this page",
        wall_text="This document is available to accredited media.", wall_button="Log in",
        footer=("About the Alliance", "Structure", "Official texts", "Media accreditation",
                "Multimedia library", "Archives", "Vacancies", "Visiting", "Accessibility",
                "Legal notice", "Data protection", "Contact us"),
        copyright="© Alliance Newsroom 2024. Content may be reproduced for non-commercial use "
                  "with attribution.",
        analytics=('var _paq = window._paq = window._paq || [];\n_paq.push(["setDocumentTitle", '
                   '$id]);\n_paq.push(["setCustomVariable", 1, "topic", $section]);\n'
                   '_paq.push(["trackPageView"]);')),
    "rundblick": OutletStyle(
        css="rb", domain="rundblick.example", tagline="Nachrichten aus Deutschland und der Welt",
        nav=("Startseite", "Politik", "Ausland", "Wirtschaft", "Meinung", "Kultur", "Wissen",
             "Sport", "Regional", "Podcasts", "Newsletter"),
        home_label="Startseite", byline_prefix="Von", no_author="Rundblick-Redaktion",
        date_fmt="$dd.$mm.$yyyy, $HH:$MM Uhr", utc_offset_h=1, full_content=True,
        cookie=("Wir verwenden Cookies und ähnliche Technologien, um Ihnen ein besseres "
                "Leseerlebnis zu bieten und unser Angebot zu finanzieren. Ihre Einwilligung "
                "können Sie jederzeit widerrufen."),
        cookie_accept="Alle akzeptieren", cookie_reject="Einstellungen",
        newsletter_title="Der Rundblick am Morgen",
        newsletter_text=("Die wichtigsten Nachrichten des Tages, kompakt zusammengefasst und "
                         "jeden Werktag um sechs Uhr in Ihrem Postfach."),
        newsletter_button="Jetzt anmelden", read_more="Mehr zum Thema",
        share_label="Artikel teilen", wall_title="Jetzt abonnieren und weiterlesen",
        wall_text=("Dieser Artikel ist Teil von Rundblick Plus. Vier Wochen für 0,99 Euro "
                   "testen, danach monatlich kündbar."), wall_button="Rundblick Plus testen",
        footer=("Impressum", "Datenschutz", "Cookie-Einstellungen", "Kontakt", "Abo-Service",
                "Mediadaten", "Karriere", "Leserbriefe", "Barrierefreiheit", "AGB",
                "Nutzungsbedingungen", "Archiv", "Hilfe & FAQ"),
        copyright="© Rundblick Verlag GmbH 2024. Alle Rechte vorbehalten.",
        analytics=('window.rbLayer = window.rbLayer || [];\nrbLayer.push({event: "seitenaufruf", '
                   'artikel: $id, ressort: $section});')),
    "messager": OutletStyle(
        css="lm", domain="lemessager.example", tagline="Le quotidien de l'actualité",
        nav=("À la une", "International", "Politique", "Économie", "Société", "Culture",
             "Idées", "Sciences", "Sport", "Vidéos"),
        home_label="Accueil", byline_prefix="Par", no_author="La rédaction",
        date_fmt="Publié le $d $month $yyyy à ${HH}h$MM", utc_offset_h=1, meta="og",
        tracking="?xtor=RSS-3208",
        cookie=("Avec votre accord, nous et nos partenaires utilisons des cookies pour stocker "
                "des informations sur votre appareil, mesurer l'audience et personnaliser les "
                "publicités."),
        cookie_accept="Accepter et fermer", cookie_reject="Continuer sans accepter",
        newsletter_title="La lettre du Messager",
        newsletter_text=("Chaque matin, l'essentiel de l'actualité choisi par la rédaction, "
                         "directement dans votre boîte mail."),
        newsletter_button="Je m'inscris", read_more="Lire aussi", share_label="Partager",
        wall_title="Abonnez-vous pour lire la suite",
        wall_text=("Cet article est réservé aux abonnés. Profitez de notre offre : 1 € le "
                   "premier mois, sans engagement."), wall_button="Je m'abonne",
        footer=("Mentions légales", "Charte de confidentialité", "Gestion des cookies",
                "Conditions générales", "Qui sommes-nous ?", "Nous contacter", "Publicité",
                "Recrutement", "Charte déontologique", "Le Messager en kiosque",
                "Accessibilité", "Plan du site"),
        copyright="© Le Messager 2024. Toute reproduction interdite sans autorisation.",
        analytics=('var xtParams = {page: $id, rubrique: $section};\n(function () { '
                   'var i = new Image(); i.src = "/hit.xiti?p=" + encodeURIComponent('
                   'xtParams.page); })();')),
}


# Labels of the plain style given to outlets without a hand-made one (synthetic worlds).
_DERIVED_LABELS: Mapping[str, Mapping[str, Any]] = {
    "en": dict(
        nav=("News", "World", "Politics", "Business", "Economy", "Opinion", "Culture", "Sport"),
        home_label="Home", byline_prefix="By", date_fmt="$d $month $yyyy, $HH:$MM",
        cookie=("{name} uses cookies to run this website and, if you agree, to measure how "
                "our journalism is read."),
        cookie_accept="Accept", cookie_reject="Settings",
        newsletter_title="The {name} briefing",
        newsletter_text="The day's main stories from {name}, in your inbox every morning.",
        newsletter_button="Sign up", read_more="Related stories", share_label="Share",
        wall_title="Subscribe to continue reading",
        wall_text="This story is for {name} subscribers.", wall_button="Subscribe",
        footer=("About us", "Contact", "Corrections", "Advertise", "Terms of use",
                "Privacy policy", "Cookie settings", "Archive")),
    "de": dict(
        nav=("Startseite", "Politik", "Ausland", "Wirtschaft", "Meinung", "Kultur", "Sport"),
        home_label="Startseite", byline_prefix="Von", date_fmt="$dd.$mm.$yyyy, $HH:$MM Uhr",
        cookie=("{name} verwendet Cookies, um diese Website zu betreiben und, mit Ihrer "
                "Einwilligung, die Nutzung unserer Artikel zu messen."),
        cookie_accept="Akzeptieren", cookie_reject="Einstellungen",
        newsletter_title="Der Newsletter von {name}",
        newsletter_text="Die wichtigsten Nachrichten von {name} jeden Morgen in Ihrem Postfach.",
        newsletter_button="Anmelden", read_more="Mehr zum Thema", share_label="Teilen",
        wall_title="Jetzt abonnieren und weiterlesen",
        wall_text="Dieser Artikel ist Abonnenten von {name} vorbehalten.",
        wall_button="Abonnieren",
        footer=("Impressum", "Datenschutz", "Kontakt", "Mediadaten", "AGB", "Archiv")),
    "fr": dict(
        nav=("Accueil", "International", "Politique", "Économie", "Société", "Culture"),
        home_label="Accueil", byline_prefix="Par",
        date_fmt="Publié le $d $month $yyyy à ${HH}h$MM",
        cookie=("{name} utilise des cookies pour faire fonctionner ce site et, avec votre "
                "accord, mesurer l'audience de ses articles."),
        cookie_accept="Accepter", cookie_reject="Paramétrer",
        newsletter_title="La lettre de {name}",
        newsletter_text="L'essentiel de l'actualité choisi par {name}, chaque matin.",
        newsletter_button="Je m'inscris", read_more="Lire aussi", share_label="Partager",
        wall_title="Abonnez-vous pour lire la suite",
        wall_text="Cet article est réservé aux abonnés de {name}.", wall_button="Je m'abonne",
        footer=("Mentions légales", "Confidentialité", "Cookies", "Contact", "Publicité")),
}


def style_of(outlet: DemoOutlet) -> OutletStyle:
    """Return the outlet's hand-made style, or a plain one derived from its name and language."""
    style = STYLES.get(outlet.id)
    if style is not None:
        return style
    return _derived_style(outlet.id, outlet.name, outlet.language, outlet.ownership)


@functools.lru_cache(maxsize=4096)
def _derived_style(outlet_id: str, name: str, language: str, ownership: str) -> OutletStyle:
    """A plain, deterministic style for an outlet the demo has no hand-made style for."""
    labels = {k: (v.replace("{name}", name) if isinstance(v, str) else v)
              for k, v in _DERIVED_LABELS.get(language, _DERIVED_LABELS["en"]).items()}
    digest = _digest(outlet_id + name)
    css = re.sub(r"[^a-z0-9]", "", outlet_id.lower()) or "x"
    return OutletStyle(
        css=css, domain=f"{slugify(name)}.example", tagline=name,
        no_author=name, utc_offset_h=0 if language == "en" else 1,
        meta=("jsonld", "og", "url")[digest % 3],
        tracking="?utm_source=rss&utm_medium=feed" if digest % 5 == 0 else "",
        full_content=ownership == "wire",
        copyright=f"© {name} 2024. All rights reserved.",
        analytics=('window.dataLayer = window.dataLayer || [];\ndataLayer.push({"page": $id, '
                   '"section": $section});'),
        **labels)


def boilerplate_markers(outlet: DemoOutlet) -> tuple[str, ...]:
    """Strings of page boilerplate that a good extractor must leave out of the article text."""
    s = style_of(outlet)
    return (s.cookie, s.newsletter_text, *(text for _, text in s.comments))


def modified_time(article: DemoArticle) -> datetime:
    """A deterministic last-edit time: 0 to 3 hours 50 minutes after publication."""
    minutes = _digest(article.id) % 24 * 10
    return article.published + timedelta(minutes=minutes)


def related_articles(article: DemoArticle, pool: Iterable[DemoArticle],
                     limit: int = 3) -> list[DemoArticle]:
    """Earlier articles of the same outlet, same event first, then most shared tags."""
    def score(other: DemoArticle) -> tuple[bool, int, datetime, str]:
        """Sort key: same event, shared tags, recency."""
        shared = len(set(other.tags) & set(article.tags))
        return (other.event == article.event, shared, other.published, other.id)

    older = [o for o in pool if o.outlet == article.outlet and o.id != article.id
             and o.published <= article.published]
    return sorted(older, key=score, reverse=True)[:limit]


# ---------------------------------------------------------------- feeds

def render_feed(outlet: DemoOutlet, articles: Sequence[DemoArticle], base: str, now: datetime,
                *, feed_path: str | None = None) -> bytes:
    """Render an RSS 2.0 or Atom 1.0 feed (by the outlet's feed_format), newest entry first."""
    path = feed_path or outlet.feed_paths[0]
    items = sorted(articles, key=lambda a: (a.published, a.id), reverse=True)
    now = _aware(now)
    if outlet.feed_format == "atom":
        text = _atom_feed(outlet, items, base, now, path)
    else:
        text = _rss_feed(outlet, items, base, now, path)
    return text.encode("utf-8")


def _feed_title(outlet: DemoOutlet, path: str) -> str:
    """The channel title: the outlet name, plus the topic for a topical feed."""
    stem = path.rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0]
    if stem in {"world", "markets"}:
        return f"{outlet.name} – {stem.title()}"
    return outlet.name


def entry_link(outlet: DemoOutlet, article: DemoArticle, base: str) -> str:
    """The link a feed gives for an article, with the outlet's tracking parameters if any."""
    return f"{base}{article.path}{style_of(outlet).tracking}"


def _rss_feed(outlet: DemoOutlet, items: list[DemoArticle], base: str, now: datetime,
              path: str) -> str:
    """An RSS 2.0 document with dc, content and atom namespaces."""
    s = style_of(outlet)
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        "<channel>",
        f"<title>{xml_escape(_feed_title(outlet, path))}</title>",
        f"<link>{xml_escape(base)}/</link>",
        f"<description>{xml_escape(s.tagline)}</description>",
        f"<language>{outlet.language}-{outlet.country.lower()}</language>",
        f"<copyright>{xml_escape(s.copyright)}</copyright>",
        f"<lastBuildDate>{_rfc822(now, s)}</lastBuildDate>",
        f"<atom:link href={quoteattr(base + path)} rel=\"self\" type=\"application/rss+xml\"/>",
        "<ttl>15</ttl>",
    ]
    body = [_rss_item(outlet, a, base, s) for a in items]
    return "\n".join(head + body + ["</channel>", "</rss>", ""])


def _rss_item(outlet: DemoOutlet, article: DemoArticle, base: str, s: OutletStyle) -> str:
    """One RSS item; content:encoded only for full-text outlets and free articles."""
    lines = [
        "<item>",
        f"<title>{xml_escape(article.title)}</title>",
        f"<link>{xml_escape(entry_link(outlet, article, base))}</link>",
        f'<guid isPermaLink="false">{xml_escape(article.id)}</guid>',
        f"<pubDate>{_rfc822(article.published, s)}</pubDate>",
        *(f"<dc:creator>{xml_escape(name)}</dc:creator>" for name in article.byline),
        f"<category>{xml_escape(article.section)}</category>",
        *(f"<category>{xml_escape(tag)}</category>" for tag in article.tags),
        f"<description>{xml_escape(article.summary)}</description>",
    ]
    if s.full_content and not article.paywalled:
        lines.append(f"<content:encoded>{xml_escape(_paragraphs_html(article))}</content:encoded>")
    lines.append("</item>")
    return "\n".join(lines)


def _atom_feed(outlet: DemoOutlet, items: list[DemoArticle], base: str, now: datetime,
               path: str) -> str:
    """An Atom 1.0 document."""
    s = style_of(outlet)
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.language}">',
        f"<title>{xml_escape(_feed_title(outlet, path))}</title>",
        f"<subtitle>{xml_escape(s.tagline)}</subtitle>",
        f"<id>tag:{s.domain},2024:{xml_escape(path)}</id>",
        f"<updated>{_iso(now, s)}</updated>",
        f"<link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(base + path)}/>",
        f'<link rel="alternate" type="text/html" href={quoteattr(base + "/")}/>',
        f"<author><name>{xml_escape(outlet.name)}</name></author>",
        f"<rights>{xml_escape(s.copyright)}</rights>",
    ]
    body = [_atom_entry(outlet, a, base, s) for a in items]
    return "\n".join(head + body + ["</feed>", ""])


def _atom_entry(outlet: DemoOutlet, article: DemoArticle, base: str, s: OutletStyle) -> str:
    """One Atom entry."""
    authors = article.byline or (s.no_author,)
    lines = [
        "<entry>",
        f'<title type="text">{xml_escape(article.title)}</title>',
        f'<link rel="alternate" type="text/html" '
        f"href={quoteattr(entry_link(outlet, article, base))}/>",
        f"<id>tag:{s.domain},2024:{xml_escape(article.id)}</id>",
        f"<published>{_iso(article.published, s)}</published>",
        f"<updated>{_iso(article.published, s)}</updated>",
        *(f"<author><name>{xml_escape(name)}</name></author>" for name in authors),
        f"<category term={quoteattr(article.section)}/>",
        *(f"<category term={quoteattr(tag)}/>" for tag in article.tags),
        f'<summary type="text">{xml_escape(article.summary)}</summary>',
        "</entry>",
    ]
    return "\n".join(lines)


def _paragraphs_html(article: DemoArticle) -> str:
    """The body as HTML paragraphs."""
    return "".join(f"<p>{_t(p)}</p>" for p in article.body_paragraphs)


# ---------------------------------------------------------------- dates and text

def _aware(dt: datetime) -> datetime:
    """Treat a naive datetime as UTC."""
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt


def _local(dt: datetime, s: OutletStyle) -> datetime:
    """A datetime in the outlet's own UTC offset."""
    return _aware(dt).astimezone(timezone(timedelta(hours=s.utc_offset_h)))


def _iso(dt: datetime, s: OutletStyle) -> str:
    """RFC 3339 in the outlet's offset (`Z` for UTC)."""
    text = _local(dt, s).replace(microsecond=0).isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def _rfc822(dt: datetime, s: OutletStyle) -> str:
    """An RFC 822 date for RSS, with `GMT` or the outlet's numeric offset."""
    if s.utc_offset_h == 0:
        return format_datetime(_aware(dt).astimezone(timezone.utc), usegmt=True)
    return format_datetime(_local(dt, s))


def http_date(dt: datetime) -> str:
    """An HTTP-date (RFC 9110) for a header such as Last-Modified."""
    return format_datetime(_aware(dt).astimezone(timezone.utc), usegmt=True)


def display_date(dt: datetime, s: OutletStyle, language: str) -> str:
    """The visible date as the outlet prints it, in its own time zone and language."""
    local = _local(dt, s)
    lang = language if language in _MONTHS else "en"
    h12 = local.hour % 12 or 12
    return Template(s.date_fmt).substitute(
        d=local.day, dd=f"{local.day:02d}", mm=f"{local.month:02d}", yyyy=local.year,
        month=_MONTHS[lang][local.month - 1], mon=_MONTHS[lang][local.month - 1][:3],
        HH=f"{local.hour:02d}", MM=f"{local.minute:02d}", h12=h12,
        ampm="PM" if local.hour >= 12 else "AM", wd=_WEEKDAYS[lang][local.weekday()])


def slugify(text: str) -> str:
    """An ASCII URL slug for a label or a name."""
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "x"


def _digest(text: str) -> int:
    """A stable integer from a string (for deterministic choices)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _t(text: str) -> str:
    """Escape text content (quotes left as they are)."""
    return html.escape(text, quote=False)


def _a(text: str) -> str:
    """Escape an attribute value."""
    return html.escape(text, quote=True)


# ---------------------------------------------------------------- pages

def render_page(outlet: DemoOutlet, article: DemoArticle, base: str, *,
                related: Sequence[DemoArticle] = ()) -> bytes:
    """Render a full article page with the outlet's boilerplate and metadata habits."""
    s = style_of(outlet)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_a(outlet.language)}" class="{s.css}-site no-js">',
        _head(outlet, article, base, s),
        f'<body class="{s.css}-article-page section-{slugify(article.section)}">',
        _cookie_banner(s),
        _site_header(outlet, s),
        f'<main id="main-content" class="{s.css}-main">',
        _breadcrumb(article, s),
        _article(outlet, article, base, s, related),
        _newsletter(s),
        _comments(article, s, outlet.language),
        "</main>",
        _footer(outlet, s),
        _tail_scripts(s),
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts).encode("utf-8")


def _head(outlet: DemoOutlet, article: DemoArticle, base: str, s: OutletStyle) -> str:
    """The <head>: title, description, metadata variant, styles, analytics."""
    url = base + article.path
    charset = ('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
               if s.old_charset else '<meta charset="utf-8">')
    lines = [
        "<head>",
        charset,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_t(article.title)} | {_t(outlet.name)}</title>",
        f'<meta name="description" content="{_a(article.summary)}">',
        f'<meta property="og:site_name" content="{_a(outlet.name)}">',
        f'<meta property="og:title" content="{_a(article.title)}">',
        f'<meta property="og:description" content="{_a(article.summary)}">',
        *_meta_lines(outlet, article, base, s),
        f'<link rel="stylesheet" href="/static/{s.css}-main.css">',
        f'<link rel="icon" href="/static/{s.css}-favicon.ico">',
        f"<style>.{s.css}-consent{{position:fixed;bottom:0}}.{s.css}-wall{{border-top:2px "
        "solid}</style>",
        f"<script>{_analytics(article, s)}</script>",
        "</head>",
    ]
    return "\n".join(lines)


def _meta_lines(outlet: DemoOutlet, article: DemoArticle, base: str,
                s: OutletStyle) -> list[str]:
    """Canonical, Open Graph and date/author metadata by the outlet's habit."""
    url = base + article.path
    if s.meta == "url":
        return ['<meta property="og:type" content="website">']
    lines = [f'<link rel="canonical" href="{_a(url)}">',
             '<meta property="og:type" content="article">',
             f'<meta property="og:url" content="{_a(url)}">']
    if s.meta == "og":
        lines.append(f'<meta property="article:published_time" '
                     f'content="{_iso(article.published, s)}">')
        lines.append(f'<meta property="article:section" content="{_a(article.section)}">')
        if article.byline:
            lines.append(f'<meta name="author" content="{_a(", ".join(article.byline))}">')
        return lines
    lines.append(f'<script type="application/ld+json">{_json_ld(outlet, article, base, s)}'
                 "</script>")
    return lines


def _json_ld(outlet: DemoOutlet, article: DemoArticle, base: str, s: OutletStyle) -> str:
    """A schema.org NewsArticle as JSON-LD."""
    url = base + article.path
    authors = [{"@type": "Person", "name": n, "url": f"{base}/authors/{slugify(n)}/"}
               for n in article.byline] or [{"@type": "Organization", "name": outlet.name}]
    data = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.title, "description": article.summary,
        "datePublished": _iso(article.published, s),
        "dateModified": _iso(modified_time(article), s),
        "author": authors,
        "publisher": {"@type": "Organization", "name": outlet.name,
                      "logo": {"@type": "ImageObject", "url": f"{base}/static/{s.css}-logo.png"}},
        "articleSection": article.section, "keywords": list(article.tags),
        "inLanguage": outlet.language, "isAccessibleForFree": not article.paywalled,
    }
    return _script_json(data)


def _script_json(data: object) -> str:
    """JSON safe to embed in a <script> element."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _analytics(article: DemoArticle, s: OutletStyle) -> str:
    """The outlet's inline analytics snippet for this article."""
    return Template(s.analytics).safe_substitute(
        id=_script_json(article.id), section=_script_json(article.section))


def _cookie_banner(s: OutletStyle) -> str:
    """The cookie-consent dialog."""
    return "\n".join([
        f'<div id="cookie-consent" class="{s.css}-consent cookie-banner" role="dialog" '
        'aria-modal="false" aria-label="Cookie consent">',
        f'<p class="{s.css}-consent-text">{_t(s.cookie)}</p>',
        f'<button type="button" class="{s.css}-btn accept">{_t(s.cookie_accept)}</button>',
        f'<button type="button" class="{s.css}-btn manage">{_t(s.cookie_reject)}</button>',
        "</div>",
    ])


def _site_header(outlet: DemoOutlet, s: OutletStyle) -> str:
    """The masthead with logo, tagline, section navigation and search."""
    links = "\n".join(f'<li><a href="/section/{slugify(label)}/">{_t(label)}</a></li>'
                      for label in s.nav)
    return "\n".join([
        f'<header class="{s.css}-masthead" role="banner">',
        f'<a class="{s.css}-skip" href="#main-content">Skip to content</a>',
        f'<a class="{s.css}-logo" href="/" title="{_a(outlet.name)}">{_t(outlet.name)}</a>',
        f'<p class="{s.css}-tagline">{_t(s.tagline)}</p>',
        f'<nav class="{s.css}-nav" aria-label="Sections">',
        f"<ul>\n{links}\n</ul>",
        "</nav>",
        f'<form class="{s.css}-search" action="/search" method="get">'
        '<input type="search" name="q" aria-label="Search"></form>',
        "</header>",
    ])


def _breadcrumb(article: DemoArticle, s: OutletStyle) -> str:
    """Home > Section."""
    return (f'<nav class="{s.css}-breadcrumb breadcrumb" aria-label="Breadcrumb"><ol>'
            f'<li><a href="/">{_t(s.home_label)}</a></li>'
            f'<li><a href="/section/{slugify(article.section)}/">{_t(article.section)}</a></li>'
            "</ol></nav>")


def _article(outlet: DemoOutlet, article: DemoArticle, base: str, s: OutletStyle,
             related: Sequence[DemoArticle]) -> str:
    """The <article>: header, byline, share tools, body and tags."""
    return "\n".join([
        f'<article class="{s.css}-story" id="story-{_a(article.id)}">',
        f'<header class="{s.css}-story-header">',
        f'<p class="{s.css}-kicker">{_t(article.section)}</p>',
        f"<h1>{_t(article.title)}</h1>",
        f'<p class="{s.css}-standfirst">{_t(article.summary)}</p>',
        _byline(article, s, outlet.language),
        _share(article, base, s),
        "</header>",
        _story_body(article, base, s, related),
        _tags(article, s),
        "</article>",
    ])


def _byline(article: DemoArticle, s: OutletStyle, language: str) -> str:
    """Author links and, unless the outlet prints none, a <time> element."""
    names = [f'<a rel="author" href="/authors/{slugify(n)}/">{_t(n)}</a>'
             for n in article.byline] or [_t(s.no_author)]
    who = f'<span class="{s.css}-author">{_t(s.byline_prefix)} {", ".join(names)}</span>'
    if s.meta == "url":
        return f'<div class="{s.css}-byline">{who}</div>'
    when = (f'<time datetime="{_iso(article.published, s)}">'
            f"{_t(display_date(article.published, s, language))}</time>")
    return f'<div class="{s.css}-byline">{who} <span class="{s.css}-dot">·</span> {when}</div>'


def _share(article: DemoArticle, base: str, s: OutletStyle) -> str:
    """Share buttons for the usual networks."""
    url = quote(base + article.path, safe="")
    title = quote(article.title, safe="")
    targets = [("x", f"https://x.com/intent/post?url={url}&text={title}"),
               ("facebook", f"https://www.facebook.com/sharer/sharer.php?u={url}"),
               ("linkedin", f"https://www.linkedin.com/sharing/share-offsite/?url={url}"),
               ("whatsapp", f"https://wa.me/?text={title}%20{url}"),
               ("email", f"mailto:?subject={title}&body={url}")]
    links = "".join(f'<li><a class="share-{name}" href="{_a(href)}" rel="noopener">'
                    f"{name.title()}</a></li>" for name, href in targets)
    return (f'<div class="{s.css}-share share-tools" aria-label="{_a(s.share_label)}">'
            f'<span class="{s.css}-share-label">{_t(s.share_label)}</span><ul>{links}</ul>'
            '<button type="button" class="copy-link">Copy link</button></div>')


def _story_body(article: DemoArticle, base: str, s: OutletStyle,
                related: Sequence[DemoArticle]) -> str:
    """The paragraphs with the read-more box inside, or a teaser and the wall."""
    paragraphs = [f"<p>{_t(p)}</p>" for p in article.body_paragraphs]
    box = _read_more(article, base, s, related)
    if article.paywalled:
        return "\n".join([f'<div class="{s.css}-story-body article-body">', paragraphs[0],
                          "</div>", _paywall(s), box])
    at = 2 if len(paragraphs) >= 4 else len(paragraphs)
    return "\n".join([f'<div class="{s.css}-story-body article-body">', *paragraphs[:at], box,
                      *paragraphs[at:], "</div>"])


def _read_more(article: DemoArticle, base: str, s: OutletStyle,
               related: Sequence[DemoArticle]) -> str:
    """The inline box of related links."""
    items = [f'<li><a href="{_a(base + r.path)}">{_t(r.title)}</a></li>' for r in related]
    items.append(f'<li><a href="/section/{slugify(article.section)}/">'
                 f"{_t(article.section)}</a></li>")
    return (f'<aside class="{s.css}-read-more related-links" aria-label="{_a(s.read_more)}">'
            f"<h2>{_t(s.read_more)}</h2><ul>{''.join(items)}</ul></aside>")


def _paywall(s: OutletStyle) -> str:
    """The subscription wall shown instead of the rest of a paywalled story."""
    return "\n".join([
        f'<div class="{s.css}-wall paywall" data-paywall="true">',
        f"<h2>{_t(s.wall_title)}</h2>",
        f"<p>{_t(s.wall_text)}</p>",
        f'<a class="{s.css}-btn subscribe" href="/subscribe/">{_t(s.wall_button)}</a>',
        "</div>",
    ])


def _tags(article: DemoArticle, s: OutletStyle) -> str:
    """The topic links under the story."""
    links = "".join(f'<li><a href="/tag/{slugify(t)}/">{_t(t)}</a></li>' for t in article.tags)
    return f'<footer class="{s.css}-story-tags"><ul class="tag-list">{links}</ul></footer>'


def _newsletter(s: OutletStyle) -> str:
    """The newsletter sign-up box."""
    return "\n".join([
        f'<aside class="{s.css}-newsletter newsletter-signup">',
        f"<h2>{_t(s.newsletter_title)}</h2>",
        f"<p>{_t(s.newsletter_text)}</p>",
        '<form action="/newsletter/subscribe" method="post">'
        '<input type="email" name="email" placeholder="you@example.com" aria-label="Email">'
        f'<button type="submit">{_t(s.newsletter_button)}</button></form>',
        "</aside>",
    ])


def pick_comments(article: DemoArticle, s: OutletStyle) -> list[tuple[str, str]]:
    """Two to four comments from the outlet's pool, chosen deterministically by article id."""
    if not s.comments:
        return []
    seed = _digest(article.id)
    count = min(2 + seed % 3, len(s.comments))
    start = (seed // 3) % len(s.comments)
    return [s.comments[(start + i) % len(s.comments)] for i in range(count)]


def _comments(article: DemoArticle, s: OutletStyle, language: str) -> str:
    """The reader comments section (empty for outlets without comments)."""
    chosen = pick_comments(article, s)
    if not chosen:
        return ""
    items = []
    for i, (name, text) in enumerate(chosen):
        when = display_date(article.published + timedelta(minutes=25 + 41 * i), s, language)
        items.append(f'<li class="comment" id="comment-{i + 1}"><p class="comment-author">'
                     f'{_t(name)} <span class="comment-date">{_t(when)}</span></p>'
                     f'<p class="comment-body">{_t(text)}</p></li>')
    return "\n".join([
        f'<section id="comments" class="{s.css}-comments comments-area">',
        f"<h2>{_t(s.comments_title)} ({len(chosen)})</h2>",
        f'<ol class="comment-list">{"".join(items)}</ol>',
        "</section>",
    ])


def _footer(outlet: DemoOutlet, s: OutletStyle) -> str:
    """The site footer with section and service links."""
    links = "\n".join(f'<li><a href="/info/{slugify(label)}/">{_t(label)}</a></li>'
                      for label in s.footer)
    sections = "".join(f'<li><a href="/section/{slugify(label)}/">{_t(label)}</a></li>'
                       for label in s.nav)
    return "\n".join([
        f'<footer class="{s.css}-site-footer" role="contentinfo">',
        f'<nav aria-label="Sections"><ul class="{s.css}-footer-sections">{sections}</ul></nav>',
        f'<ul class="{s.css}-footer-links">\n{links}\n</ul>',
        f'<p class="{s.css}-copyright">{_t(s.copyright)}</p>',
        "</footer>",
    ])


def _tail_scripts(s: OutletStyle) -> str:
    """Scripts loaded at the end of <body>."""
    return "\n".join([
        f'<script src="/static/{s.css}-app.js" defer></script>',
        "<script>document.documentElement.className = document.documentElement.className"
        '.replace("no-js", "js");\ndocument.querySelectorAll("#cookie-consent button")'
        '.forEach(function (b) { b.addEventListener("click", function () { '
        'document.getElementById("cookie-consent").hidden = true; }); });</script>',
    ])


# ---------------------------------------------------------------- small pages

def render_home(outlet: DemoOutlet, articles: Sequence[DemoArticle]) -> bytes:
    """A plain homepage listing the outlet's visible articles, newest first."""
    s = style_of(outlet)
    items = "\n".join(f'<li><a href="{_a(a.path)}">{_t(a.title)}</a></li>'
                      for a in sorted(articles, key=lambda a: (a.published, a.id), reverse=True))
    feeds = "\n".join(f'<link rel="alternate" type="application/{outlet.feed_format}+xml" '
                      f'href="{_a(p)}">' for p in outlet.feed_paths)
    return (f'<!DOCTYPE html>\n<html lang="{_a(outlet.language)}">\n<head>\n'
            f'<meta charset="utf-8">\n<title>{_t(outlet.name)}</title>\n{feeds}\n</head>\n'
            f"<body>\n<h1>{_t(outlet.name)}</h1>\n<p>{_t(s.tagline)}</p>\n"
            f"<ul>\n{items}\n</ul>\n</body>\n</html>\n").encode("utf-8")


def render_not_found(outlet: DemoOutlet) -> bytes:
    """A small 404 page."""
    return (f'<!DOCTYPE html>\n<html lang="{_a(outlet.language)}"><head><meta charset="utf-8">'
            f"<title>Not found | {_t(outlet.name)}</title></head><body><h1>Page not found</h1>"
            '<p><a href="/">Back to the homepage</a></p></body></html>\n').encode("utf-8")


ROBOTS_WILDCARD_OUTLETS = frozenset({"clarion"})


def render_robots(outlet: DemoOutlet) -> bytes:
    """robots.txt: everything allowed but /private/ (and print views for some outlets)."""
    lines = ["User-agent: *", "Disallow: /private/"]
    if outlet.id in ROBOTS_WILDCARD_OUTLETS:
        lines.append("Disallow: /*?print=")
    lines.append("Allow: /")
    return ("\n".join(lines) + "\n").encode("utf-8")
