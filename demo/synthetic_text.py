"""Word lists and sentence templates for demo.synthetic (all written for Parallax).

Templates are `str.format_map` strings. Slots: place, region, country, capital, adj (English
only), neighbour, noun/Noun/a_noun/A_noun (the outlet's word for the event; German and French
forms carry their article), org/Org, leader, leader_role/Leader_role, rival, rival_role/
Rival_role, expert, institute, weekday, next_day, pub_weekday, cause, case, company, storm,
and q (a quantity phrase) in quantity patterns.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

LANGS = ("en", "de", "fr")
STANCES = ("neutral", "official", "left", "right", "state")


@dataclass(frozen=True, slots=True)
class Source:
    """Whom a figure is attributed to: English lead and tail forms, German and French tails."""

    lead: str
    tail: str
    de: str
    fr: str


@dataclass(frozen=True, slots=True)
class QuantityKind:
    """A countable referent: its units, plausible range and sentence patterns per language."""

    key: str
    referent: str
    label: str
    unit: tuple[str, str, str]
    lo: float
    hi: float
    scale: str  # count | money | percent
    en: tuple[str, ...]
    de: tuple[str, ...]
    fr: tuple[str, ...]
    official: tuple[Source, ...]
    alt: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class StatementKind:
    """A non-numeric fact: neutral wording and its phrasings per language."""

    key: str
    text: str
    en: tuple[str, ...]
    de: str
    fr: str


@dataclass(frozen=True, slots=True)
class QuoteKind:
    """Two-part words of the event's leader or rival, with an English paraphrase."""

    key: str
    speaker: str  # leader | rival
    en: tuple[str, str]
    paraphrase: str
    de: tuple[str, str]
    fr: tuple[str, str]


@dataclass(frozen=True, slots=True)
class Role:
    """A role as printed before a name (English) or by gender (German, French)."""

    en: str
    de: tuple[str, str]  # male, female
    fr: tuple[str, str]
    local: bool = False  # one holder per place rather than per country


@dataclass(frozen=True, slots=True)
class Topic:
    """Everything needed to write about one kind of event."""

    key: str
    slug: Mapping[str, str]
    label: str
    referent: str
    terms: Mapping[str, str]
    de_terms: tuple[str, str]
    fr_terms: tuple[str, str]
    sections: Mapping[str, tuple[str, ...]]
    tags: Mapping[str, tuple[str, ...]]
    org: tuple[str, str, str]
    leader: Role
    rival: Role
    quantities: tuple[str, ...]
    statements: tuple[StatementKind, ...]
    quotes: tuple[QuoteKind, ...]
    titles: Mapping[str, tuple[str, ...]]
    leads: Mapping[str, tuple[str, ...]]
    fillers: tuple[str, ...]
    in_capital: bool = False


# ---------------------------------------------------------------- sources

def _src(lead: str, tail: str, de: str, fr: str) -> Source:
    """Shorthand constructor."""
    return Source(lead, tail, de, fr)


OFFICIALS = _src("Officials said", "officials said", "teilten Regierungsvertreter mit",
                 "selon des responsables")
DEFENCE_MIN = _src("According to the defence ministry,", "according to the defence ministry",
                   "so das Verteidigungsministerium", "selon le ministère de la Défense")
POLICE = _src("Police said", "police said", "teilte die Polizei mit", "selon la police")
POLICE_EST = _src("Police estimated that", "police estimated", "schätzte die Polizei",
                  "d'après les estimations de la police")
ORGANISERS = _src("Organisers said", "organisers said", "erklärten die Veranstalter",
                  "selon les organisateurs")
ORGANISERS_ACC = _src("According to the organisers,", "according to the organisers",
                      "so die Veranstalter", "d'après les organisateurs")
RIVAL = _src("According to {rival},", "according to {rival}", "so {rival}", "selon {rival}")
LEADER = _src("According to {leader},", "according to {leader}", "so {leader}",
              "selon {leader}")
UNNAMED = _src("Sources familiar with the matter said", "sources familiar with the matter said",
               "hieß es aus informierten Kreisen", "selon des sources proches du dossier")
UNION = _src("The union said", "the union said", "erklärte die Gewerkschaft",
             "selon le syndicat")
EMPLOYERS = _src("Employers said", "employers said", "teilten die Arbeitgeber mit",
                 "selon le patronat")
OPERATOR = _src("The rail operator said", "the rail operator said",
                "teilte der Bahnbetreiber mit", "selon l'opérateur ferroviaire")
ELECTORAL = _src("The electoral commission said", "the electoral commission said",
                 "teilte die Wahlkommission mit", "selon la commission électorale")
EXIT_POLL = _src("According to an exit poll,", "according to an exit poll",
                 "einer Nachwahlbefragung zufolge", "selon un sondage de sortie des urnes")
INTERIOR = _src("The interior ministry said", "the interior ministry said",
                "teilte das Innenministerium mit", "selon le ministère de l'Intérieur")
POLICE_UNION = _src("A police union said", "a police union said",
                    "erklärte eine Polizeigewerkschaft", "selon un syndicat de policiers")
LAWYERS = _src("A lawyers' group said", "a lawyers' group said",
               "teilte eine Anwaltsvereinigung mit", "selon un collectif d'avocats")
FINANCE_MIN = _src("The finance ministry said", "the finance ministry said",
                   "teilte das Finanzministerium mit", "selon le ministère des Finances")
AUTHORITIES = _src("Local authorities said", "local authorities said",
                   "teilten die örtlichen Behörden mit", "selon les autorités locales")
RESCUERS = _src("The emergency services said", "the emergency services said",
                "teilten die Rettungsdienste mit", "selon les services de secours")
LOCAL_MEDIA = _src("Local media reported that", "local media reported",
                   "berichteten örtliche Medien", "selon des médias locaux")
INSURERS = _src("Insurers estimated that", "insurers estimated", "schätzten Versicherer",
                "selon les assureurs")
COURT = _src("The court said", "the court said", "teilte das Gericht mit", "selon la Cour")
COMPANY = _src("The company said", "the company said", "teilte das Unternehmen mit",
               "selon l'entreprise")
ECONOMISTS = _src("Independent economists estimated that", "independent economists estimated",
                  "schätzen unabhängige Ökonomen", "selon des économistes indépendants")
BORDER = _src("The border guard service said", "the border guard service said",
              "teilte der Grenzschutz mit", "selon le service des garde-frontières")


# ---------------------------------------------------------------- quantities

def _q(key: str, referent: str, label: str, unit: tuple[str, str, str], lo: float, hi: float,
       scale: str, en: tuple[str, ...], de: tuple[str, ...], fr: tuple[str, ...],
       official: tuple[Source, ...], alt: tuple[Source, ...]) -> tuple[str, QuantityKind]:
    """Shorthand: a (key, QuantityKind) pair."""
    return key, QuantityKind(key, referent, label, unit, lo, hi, scale, en, de, fr, official, alt)


EUR = ("euros", "Euro", "euros")
PEOPLE = ("people", "Menschen", "personnes")
PCT = ("percent", "Prozent", "%")

QUANTITIES: Mapping[str, QuantityKind] = dict([
    _q("troops", "troops", "Troops taking part in the {noun}", ("troops", "Soldaten", "soldats"),
       2000, 60000, "count",
       ("{q} are taking part in the {noun}", "the {noun} involves {q}",
        "{q} have been deployed for the {noun} around {place}"),
       ("An der Übung nehmen {q} teil",), ("{q} participent aux manœuvres",),
       (OFFICIALS, DEFENCE_MIN), (RIVAL, UNNAMED)),
    _q("ships", "ships", "Ships taking part in the {noun}", ("ships", "Schiffe", "navires"),
       8, 70, "count",
       ("{q} are involved in the naval part of the {noun}", "the navy has committed {q}",
        "{q} have sailed for the waters off {region}"),
       ("Die Marine beteiligt sich mit {q}",), ("La marine engage {q}",),
       (OFFICIALS, DEFENCE_MIN), (RIVAL, UNNAMED)),
    _q("aircraft", "aircraft", "Aircraft taking part in the {noun}",
       ("aircraft", "Flugzeuge", "avions"), 15, 180, "count",
       ("{q} are flying missions as part of the {noun}", "the air force is contributing {q}"),
       ("Zudem sind {q} im Einsatz",), ("{q} sont mobilisés",),
       (OFFICIALS, DEFENCE_MIN), (UNNAMED,)),
    _q("armour", "vehicles", "Armoured vehicles moved for the {noun}",
       ("armoured vehicles", "gepanzerte Fahrzeuge", "véhicules blindés"), 80, 1200, "count",
       ("{q} are being moved into the area", "the army brought {q} to the ranges near {place}"),
       ("Zudem wurden {q} in das Gebiet verlegt",), ("{q} ont été acheminés dans la zone",),
       (OFFICIALS, DEFENCE_MIN), (RIVAL, UNNAMED)),
    _q("exercise-cost", "cost", "Cost of the {noun}", EUR, 5e6, 4e8, "money",
       ("the {noun} will cost {q}", "the bill for the {noun} is put at {q}"),
       ("Die Kosten belaufen sich auf {q}",), ("Le coût est estimé à {q}",),
       (DEFENCE_MIN,), (RIVAL, ECONOMISTS)),
    _q("strikers", "workers", "Workers on strike", ("workers", "Beschäftigte", "salariés"),
       3000, 90000, "count",
       ("{q} have joined the {noun}", "the {noun} involves {q}", "{q} walked off the job"),
       ("{q} beteiligen sich an dem Ausstand",), ("{q} ont cessé le travail",),
       (UNION,), (EMPLOYERS, RIVAL)),
    _q("cancelled", "cancelled services", "Train services cancelled",
       ("train services", "Zugverbindungen", "trains"), 150, 3000, "count",
       ("{q} were cancelled", "the operator cancelled {q}"),
       ("{q} fielen aus",), ("{q} ont été supprimés",),
       (OPERATOR,), (UNION,)),
    _q("strike-cost", "cost", "Daily cost of the {noun} to the economy", EUR, 5e6, 3e8, "money",
       ("the {noun} is costing the economy {q} a day",
        "daily losses from the {noun} are estimated at {q}"),
       ("Der tägliche Schaden wird auf {q} geschätzt",),
       ("Les pertes quotidiennes sont estimées à {q}",),
       (EMPLOYERS,), (UNION, ECONOMISTS)),
    _q("pay-claim", "pay claim", "The union's pay claim", PCT, 6, 18, "percent",
       ("the union is demanding a pay rise of {q}", "the union wants wages raised by {q}"),
       ("Die Gewerkschaft fordert {q} mehr Lohn",),
       ("Le syndicat réclame une hausse des salaires de {q}",),
       (UNION,), (EMPLOYERS,)),
    _q("turnout", "turnout", "Turnout in the {noun}", PCT, 38, 82, "percent",
       ("turnout reached {q}", "{q} of registered voters cast a ballot"),
       ("Die Wahlbeteiligung lag bei {q}",), ("La participation a atteint {q}",),
       (ELECTORAL,), (RIVAL, UNNAMED)),
    _q("seats", "seats", "Seats won by the leading party", ("seats", "Sitze", "sièges"),
       20, 140, "count",
       ("{org} is projected to win {q}", "{org} looks set to take {q} in the new parliament"),
       ("{Org} kommt demnach auf {q}",), ("{org} obtiendrait {q}",),
       (EXIT_POLL, ELECTORAL), (UNNAMED,)),
    _q("observers", "observers", "International observers monitoring the vote",
       ("international observers", "internationale Wahlbeobachter", "observateurs internationaux"),
       60, 900, "count",
       ("{q} are monitoring the vote", "the vote is being watched by {q}"),
       ("{q} beobachten die Abstimmung",), ("{q} surveillent le scrutin",),
       (ELECTORAL,), (UNNAMED,)),
    _q("crowd", "crowd", "Number of people at the {noun}", PEOPLE, 1500, 150000, "count",
       ("{q} joined the {noun} in {place}", "{q} took to the streets of {place}",
        "the {noun} drew {q}"),
       ("{q} gingen in {place} auf die Straße",), ("{q} ont défilé dans les rues de {place}",),
       (POLICE, POLICE_EST), (ORGANISERS, ORGANISERS_ACC)),
    _q("arrests", "arrests", "People arrested", PEOPLE, 5, 400, "count",
       ("{q} were arrested", "police detained {q} during the {noun}"),
       ("{q} wurden festgenommen",), ("{q} ont été interpellées",),
       (POLICE,), (LAWYERS, ORGANISERS)),
    _q("injured-officers", "injured", "Police officers injured",
       ("police officers", "Polizisten", "policiers"), 4, 160, "count",
       ("{q} were injured", "{q} needed hospital treatment after the clashes"),
       ("{q} wurden verletzt",), ("{q} ont été blessés",),
       (INTERIOR,), (POLICE_UNION,)),
    _q("police", "police", "Police officers deployed",
       ("police officers", "Polizisten", "policiers"), 800, 12000, "count",
       ("{q} were on duty in {place}", "the authorities deployed {q} for the {noun}"),
       ("{q} waren im Einsatz",), ("{q} ont été mobilisés",),
       (POLICE, INTERIOR), (UNNAMED, RIVAL)),
    _q("delegations", "delegations", "Delegations attending the {noun}",
       ("delegations", "Delegationen", "délégations"), 12, 55, "count",
       ("{q} are attending the {noun}", "the {noun} has brought together {q}"),
       ("An dem Treffen nehmen {q} teil",), ("{q} participent à la réunion",),
       (OFFICIALS,), (UNNAMED,)),
    _q("summit-cost", "cost", "Cost of security for the {noun}", EUR, 4e6, 9e7, "money",
       ("security for the {noun} is costing {q}", "the {noun} will cost taxpayers {q}"),
       ("Die Sicherheitsmaßnahmen kosten {q}",), ("La sécurité coûte {q}",),
       (FINANCE_MIN,), (RIVAL, ECONOMISTS)),
    _q("journalists", "journalists", "Journalists accredited",
       ("journalists", "Journalisten", "journalistes"), 300, 3000, "count",
       ("{q} have been accredited to cover the {noun}",),
       ("{q} sind akkreditiert",), ("{q} sont accrédités",),
       (OFFICIALS,), (UNNAMED,)),
    _q("deaths", "casualties", "People killed", PEOPLE, 2, 140, "count",
       ("{q} were killed", "the {noun} has killed {q}", "{q} have died"),
       ("{q} kamen ums Leben",), ("{q} ont perdu la vie",),
       (AUTHORITIES, RESCUERS), (LOCAL_MEDIA, RIVAL)),
    _q("injured", "injured", "People injured", PEOPLE, 10, 900, "count",
       ("{q} were injured", "{q} needed hospital treatment"),
       ("{q} wurden verletzt",), ("{q} ont été blessées",),
       (RESCUERS, AUTHORITIES), (LOCAL_MEDIA,)),
    _q("evacuated", "evacuated", "Residents evacuated",
       ("residents", "Anwohner", "habitants"), 500, 60000, "count",
       ("{q} were evacuated from their homes", "{q} had to leave their homes"),
       ("{q} mussten ihre Häuser verlassen",), ("{q} ont été évacués",),
       (AUTHORITIES,), (RIVAL, LOCAL_MEDIA)),
    _q("homes", "homes", "Homes damaged or destroyed", ("homes", "Häuser", "logements"),
       100, 20000, "count",
       ("{q} were damaged or destroyed", "the {noun} damaged {q}"),
       ("{q} wurden beschädigt oder zerstört",), ("{q} ont été endommagés ou détruits",),
       (AUTHORITIES,), (INSURERS, LOCAL_MEDIA)),
    _q("damage", "cost", "Damage caused by the {noun}", EUR, 2e7, 3e9, "money",
       ("damage is estimated at {q}", "the {noun} caused damage put at {q}"),
       ("Der Schaden wird auf {q} geschätzt",), ("Les dégâts sont estimés à {q}",),
       (FINANCE_MIN,), (INSURERS,)),
    _q("claimants", "claimants", "Claimants who brought the case",
       ("claimants", "Kläger", "plaignants"), 50, 40000, "count",
       ("the case was brought on behalf of {q}", "{q} joined the legal challenge"),
       ("Geklagt hatten {q}",), ("{q} avaient saisi la Cour",),
       (COURT,), (LAWYERS,)),
    _q("repayment", "cost", "What the state may have to repay", EUR, 1e7, 2e9, "money",
       ("the state may have to repay {q}", "the ruling could cost the treasury {q}"),
       ("Auf den Staat könnten Rückzahlungen von {q} zukommen",),
       ("L'État pourrait devoir rembourser {q}",),
       (FINANCE_MIN,), (LAWYERS, ECONOMISTS)),
    _q("households", "people affected", "Households affected by the {noun}",
       ("households", "Haushalte", "foyers"), 5000, 900000, "count",
       ("the ruling affects {q}", "{q} are directly affected by the {noun}"),
       ("Betroffen sind {q}",), ("{q} sont directement concernés",),
       (COURT, OFFICIALS), (LAWYERS,)),
    _q("contract-value", "cost", "Value of the {noun}", EUR, 5e7, 8e9, "money",
       ("the {noun} is worth {q}", "the deal is valued at {q}"),
       ("Das Auftragsvolumen beträgt {q}",), ("Le contrat est évalué à {q}",),
       (COMPANY, DEFENCE_MIN), (UNNAMED, RIVAL)),
    _q("units", "vehicles", "Vehicles ordered",
       ("armoured vehicles", "Radpanzer", "véhicules blindés"), 20, 600, "count",
       ("the order covers {q}", "{q} will be built under the {noun}"),
       ("Bestellt wurden {q}",), ("La commande porte sur {q}",),
       (COMPANY, DEFENCE_MIN), (UNNAMED,)),
    _q("jobs", "jobs", "Jobs secured by the order", ("jobs", "Arbeitsplätze", "emplois"),
       200, 6000, "count",
       ("the {noun} will secure {q}", "{q} depend on the order"),
       ("Der Auftrag sichert {q}",), ("Le contrat doit préserver {q}",),
       (COMPANY,), (UNION,)),
    _q("spending", "spending", "Total public spending planned", EUR, 2e9, 9e10, "money",
       ("total spending will reach {q}", "the plan foresees spending of {q}"),
       ("Die Ausgaben sollen {q} erreichen",), ("Les dépenses atteindront {q}",),
       (FINANCE_MIN,), (ECONOMISTS, RIVAL)),
    _q("deficit", "deficit", "Deficit target", PCT, 2, 7, "percent",
       ("the deficit is forecast to fall to {q} of economic output",
        "the plan aims to cut the deficit to {q} of output"),
       ("Das Defizit soll auf {q} der Wirtschaftsleistung sinken",),
       ("Le déficit devrait être ramené à {q} du PIB",),
       (FINANCE_MIN,), (ECONOMISTS,)),
    _q("public-jobs", "jobs", "Public sector jobs to be cut",
       ("public sector jobs", "Stellen im öffentlichen Dienst", "postes de fonctionnaires"),
       1000, 40000, "count",
       ("{q} will be cut", "the plan removes {q}"),
       ("{q} sollen wegfallen",), ("{q} seront supprimés",),
       (FINANCE_MIN,), (UNION, RIVAL)),
    _q("border-troops", "troops", "Troops sent to the border", ("troops", "Soldaten", "soldats"),
       300, 20000, "count",
       ("{q} have been sent to the border area", "{country} has moved {q} closer to the frontier"),
       ("{q} wurden in das Grenzgebiet verlegt",), ("{q} ont été envoyés dans la zone frontalière",
                                                    ),
       (OFFICIALS, DEFENCE_MIN), (UNNAMED, RIVAL)),
    _q("detained", "detained", "People detained at the border", PEOPLE, 2, 60, "count",
       ("{q} were detained", "border guards detained {q}"),
       ("{q} wurden festgenommen",), ("{q} ont été arrêtées",),
       (BORDER,), (RIVAL,)),
    _q("border-vehicles", "vehicles", "Military vehicles seen near the crossing",
       ("military vehicles", "Militärfahrzeuge", "véhicules militaires"), 10, 300, "count",
       ("{q} were seen near the crossing", "satellite images show {q} near the line"),
       ("{q} wurden in der Nähe des Übergangs gesichtet",),
       ("{q} ont été repérés près du poste-frontière",),
       (BORDER, OFFICIALS), (UNNAMED,)),
])

# Loose wording by magnitude: (lowest value, en, de, fr); a band reaches up to the next power
# of ten minus one ("tens of thousands" = 20,000 to 99,999). en/fr forms end in "of"/"de".
COUNT_BANDS = (
    (200_000, "hundreds of thousands of", "Hunderttausende", "des centaines de milliers de"),
    (20_000, "tens of thousands of", "Zehntausende", "des dizaines de milliers de"),
    (2_000, "thousands of", "Tausende", "des milliers de"),
    (200, "hundreds of", "Hunderte", "des centaines de"),
    (24, "dozens of", "Dutzende", "des dizaines de"),
)
MONEY_BANDS = (
    (20_000_000_000, "tens of billions of", "Dutzende Milliarden", "des dizaines de milliards de"),
    (2_000_000_000, "billions of", "Milliarden", "des milliards de"),
    (200_000_000, "hundreds of millions of", "Hunderte Millionen", "des centaines de millions de"),
    (20_000_000, "tens of millions of", "Dutzende Millionen", "des dizaines de millions de"),
)
APPROX = {"en": ("around", "about", "some", "roughly"), "de": ("rund", "etwa", "ungefähr"),
          "fr": ("environ", "quelque")}
LOWER = {"en": ("more than", "at least", "over"), "de": ("mehr als", "über", "mindestens"),
         "fr": ("plus de", "au moins")}
UPPER = {"en": ("up to", "as many as"), "de": ("bis zu",), "fr": ("jusqu'à",)}
RANGE = {"en": "between {a} and {b}", "de": "zwischen {a} und {b}", "fr": "entre {a} et {b}"}
MONEY_WORDS = {"en": (("billion", "billion"), ("million", "million")),
               "de": (("Milliarde", "Milliarden"), ("Million", "Millionen")),
               "fr": (("milliard", "milliards"), ("million", "millions"))}


# ---------------------------------------------------------------- generic statements and quotes

LOCATION = StatementKind(
    "location", "Events are centred on {place}, in the {region} region",
    ("events are centred on {place}, in the {region} region of {country}",
     "most of the activity is concentrated around {place} in {country}'s {region} region"),
    "Im Mittelpunkt steht {place} in der Region {region}",
    "Tout se concentre autour de {place}, dans la région de {region}")
BRIEFING = StatementKind(
    "briefing", "{leader} is due to brief parliament on {next_day}",
    ("{Leader_role} {leader} is due to brief parliament on {next_day}",
     "parliament in {capital} is due to hear from {leader_role} {leader} on {next_day}"),
    "{Leader_role} {leader} soll am {next_day} das Parlament unterrichten",
    "{leader}, {leader_role}, doit s'exprimer devant le Parlement {next_day}")
GENERIC_STATEMENTS = (LOCATION, BRIEFING)

QUOTE_VERBS = {"en": ("said", "told reporters", "said in a statement",
                      "told a news conference in {capital}"),
               "de": ("sagte", "erklärte", "betonte"),
               "fr": ("a déclaré", "a affirmé", "a souligné")}
REATTRIBUTED = ("a government spokesperson", "a spokesperson for {org}", "an official in {capital}")


# ---------------------------------------------------------------- topics

def _st(key: str, text: str, en: tuple[str, ...], de: str, fr: str) -> StatementKind:
    """Shorthand constructor."""
    return StatementKind(key, text, en, de, fr)


def _qt(key: str, speaker: str, en: tuple[str, str], paraphrase: str, de: tuple[str, str],
        fr: tuple[str, str]) -> QuoteKind:
    """Shorthand constructor."""
    return QuoteKind(key, speaker, en, paraphrase, de, fr)


EXERCISE = Topic(
    key="exercise", slug={"en": "exercise", "de": "manoever", "fr": "exercice"},
    label="{adj} armed forces stage a military exercise around {place}",
    referent="the exercise",
    terms={"neutral": "exercise", "official": "exercise", "left": "war game",
           "right": "show of force", "state": "provocation"},
    de_terms=("das Manöver", "das Kriegsspiel"), fr_terms=("l'exercice",
                                                           "la démonstration de force"),
    sections={"en": ("World", "Defence"), "de": ("Ausland", "Politik"), "fr": ("International",
                                                                               "Défense")},
    tags={"en": ("Defence", "Military"), "de": ("Bundeswehr und Militär",), "fr": ("Défense",)},
    org=("the {adj} defence ministry", "das Verteidigungsministerium von {country}",
         "le ministère de la Défense de {country}"),
    leader=Role("Defence Minister", ("Verteidigungsminister", "Verteidigungsministerin"),
                ("ministre de la Défense", "ministre de la Défense")),
    rival=Role("opposition leader", ("Oppositionsführer", "Oppositionsführerin"),
               ("chef de l'opposition", "cheffe de l'opposition")),
    quantities=("troops", "ships", "aircraft", "armour", "exercise-cost"),
    statements=(
        _st("neighbours-notified", "Neighbouring governments were notified in advance",
            ("neighbouring governments were notified of the {noun} in advance, the ministry said",
             "the ministry said it had informed neighbouring capitals of its plans well ahead of "
             "time"),
            "Die Nachbarstaaten seien vorab informiert worden, hieß es aus dem Ministerium",
            "Les pays voisins ont été prévenus à l'avance, selon le ministère"),
        _st("live-fire", "Live-fire drills are planned on the coast",
            ("live-fire drills are planned along the coast north of {place}",
             "the programme includes live firing on ranges along the coast north of {place}"),
            "Geplant sind auch Schießübungen mit scharfer Munition an der Küste nördlich von "
            "{place}",
            "Des tirs à balles réelles sont prévus sur la côte au nord de {place}"),
        _st("airspace", "Parts of the airspace are closed to civilian flights",
            ("parts of the airspace over {region} will be closed to civilian flights",
             "civilian aircraft have been told to avoid the airspace over {region} while the "
             "{noun} lasts"),
            "Teile des Luftraums über {region} werden für zivile Flüge gesperrt",
            "Une partie de l'espace aérien au-dessus de {region} sera fermée aux vols civils"),
        _st("allies-join", "Allied units take part",
            ("units from several allied countries are taking part alongside {adj} forces",
             "allied contingents have joined {adj} troops for the {noun}"),
            "Auch Einheiten verbündeter Staaten nehmen teil",
            "Des unités de plusieurs pays alliés y participent également"),
    ),
    quotes=(
        _qt("leader-quote", "leader",
            ("Our forces must be ready for any scenario", "This exercise threatens nobody"),
            "that the armed forces had to be ready for any scenario and that the drills "
            "threatened nobody",
            ("Unsere Streitkräfte müssen auf jedes Szenario vorbereitet sein",
             "Diese Übung bedroht niemanden"),
            ("Nos forces doivent être prêtes à tout scénario", "Cet exercice ne menace personne")),
        _qt("rival-quote", "rival",
            ("This is an expensive piece of theatre", "The money would be better spent at home"),
            "that the drills were an expensive piece of theatre and that the money would be "
            "better spent at home",
            ("Das ist teures Theater", "Das Geld wäre im eigenen Land besser angelegt"),
            ("C'est un coûteux numéro de théâtre", "Cet argent serait mieux dépensé dans le pays")),
    ),
    titles={"en": ("{adj} forces begin {noun} near {place}",
                   "{country} holds major {noun} as tensions rise in {region}",
                   "{Noun} near {place} puts the region on alert",
                   "What we know about the {noun} around {place}"),
            "de": ("{Noun} bei {place} beginnt", "{country} startet großes Manöver in {region}"),
            "fr": ("{country} lance un vaste exercice militaire près de {place}",
                   "{Noun} près de {place} inquiète les voisins")},
    leads={"en": ("{adj} forces began {a_noun} around {place} on {weekday}, sending troops, "
                  "ships and aircraft into the {region} region.",
                  "{country} launched {a_noun} in its {region} region on {weekday}, its biggest "
                  "display of military readiness in years.",
                  "Troops, warships and aircraft converged on {place} on {weekday} as {country} "
                  "opened {a_noun} that is being closely watched by its neighbours."),
           "de": ("Rund um {place} hat am {weekday} {noun} der Streitkräfte von {country} "
                  "begonnen.",),
           "fr": ("{Noun} des forces armées de {country} a commencé {weekday} autour de {place}.",
                  )},
    fillers=(
        "Military planners said the {noun} had been in preparation for more than a year.",
        "Convoys of armoured vehicles were seen moving along the main road into {place} in the "
        "days before the start.",
        "Residents of coastal villages near {place} have been warned to expect noise from "
        "low-flying aircraft at night.",
        "The {noun} comes as governments across the region increase defence budgets after years "
        "of cuts.",
        "Naval vessels were expected to gather off the coast of {region} later in the week.",
        "Diplomats in {capital} said the timing had been chosen long before the latest rise in "
        "tensions.",
    ),
)

STRIKE = Topic(
    key="strike", slug={"en": "strike", "de": "streik", "fr": "greve"},
    label="Transport workers strike over pay in {place}",
    referent="the strike",
    terms={"neutral": "strike", "official": "stoppage", "left": "workers' strike",
           "right": "union blockade", "state": "labour revolt"},
    de_terms=("der Streik", "das Streikchaos"), fr_terms=("la grève", "le blocage syndical"),
    sections={"en": ("Business", "Economy"), "de": ("Wirtschaft",), "fr": ("Économie", "Social")},
    tags={"en": ("Labour", "Strikes"), "de": ("Streik", "Verkehr"), "fr": ("Grève", "Transports")},
    org=("the {place} Transport Workers' Union", "die Verkehrsgewerkschaft von {place}",
         "le syndicat des transports de {place}"),
    leader=Role("union leader", ("Gewerkschaftschef", "Gewerkschaftschefin"),
                ("dirigeant syndical", "dirigeante syndicale"), local=True),
    rival=Role("Transport Minister", ("Verkehrsminister", "Verkehrsministerin"),
               ("ministre des Transports", "ministre des Transports")),
    quantities=("strikers", "cancelled", "strike-cost", "pay-claim"),
    statements=(
        _st("port-halted", "Freight at the port came to a standstill",
            ("freight traffic through the port of {place} came to a standstill",
             "cargo handling at the port of {place} was halted by the {noun}"),
            "Der Güterverkehr im Hafen von {place} kam zum Erliegen",
            "Le trafic de marchandises dans le port de {place} est à l'arrêt"),
        _st("talks-collapsed", "Talks with employers collapsed last week",
            ("talks between the union and employers broke down last week",
             "the {noun} was called after negotiations with employers collapsed last week"),
            "Die Verhandlungen mit den Arbeitgebern waren vergangene Woche gescheitert",
            "Les négociations avec le patronat ont échoué la semaine dernière"),
        _st("mediation", "The government offered mediation",
            ("the government has offered to appoint an independent mediator",
             "ministers said they were ready to bring in an independent mediator to end the "
             "dispute"),
            "Die Regierung bot an, einen unabhängigen Schlichter einzusetzen",
            "Le gouvernement a proposé de nommer un médiateur indépendant"),
        _st("minimum-service", "A reduced service runs on the main lines",
            ("a reduced timetable is running on the main lines into {capital}",
             "only a skeleton service is running on the main routes into {capital}"),
            "Auf den Hauptstrecken nach {capital} gilt ein Notfahrplan",
            "Un service minimum est assuré sur les grandes lignes vers {capital}"),
    ),
    quotes=(
        _qt("leader-quote", "leader",
            ("Our members have waited long enough",
             "We will stay out until there is a fair offer on the table"),
            "that members had waited long enough and would stay out until a fair offer was made",
            ("Unsere Mitglieder haben lange genug gewartet",
             "Wir streiken, bis ein faires Angebot auf dem Tisch liegt"),
            ("Nos adhérents ont assez attendu",
             "Nous ne reprendrons pas le travail sans une offre équitable")),
        _qt("rival-quote", "rival",
            ("This strike punishes ordinary passengers", "The door to negotiations remains open"),
            "that the strike punished ordinary passengers but that the door to talks remained open",
            ("Dieser Streik trifft die einfachen Fahrgäste",
             "Die Tür für Verhandlungen bleibt offen"),
            ("Cette grève pénalise les usagers ordinaires",
             "La porte des négociations reste ouverte")),
    ),
    titles={"en": ("{Noun} brings transport in {place} to a halt",
                   "Transport workers walk out across {country} in pay dispute",
                   "Commuters stranded as {noun} hits {place}",
                   "Union defiant as {noun} paralyses {place}"),
            "de": ("{Noun} legt den Verkehr in {place} lahm",
                   "Verkehrsbeschäftigte in {country} legen die Arbeit nieder"),
            "fr": ("{Noun} paralyse les transports à {place}",
                   "Les salariés des transports de {country} cessent le travail")},
    leads={"en": ("Transport workers across {country} walked out on {weekday}, halting trains and "
                  "buses in and around {place} in a bitter dispute over pay.",
                  "{A_noun} called by {org} shut down much of the public transport network in "
                  "{place} on {weekday}.",
                  "Commuters in {place} were left searching for other ways to get to work on "
                  "{weekday} as {a_noun} over pay and conditions began."),
           "de": ("{Noun} hat am {weekday} den Nahverkehr in {place} weitgehend lahmgelegt.",),
           "fr": ("{Noun} a paralysé {weekday} une grande partie des transports publics de "
                  "{place}.",)},
    fillers=(
        "Taxi ranks outside the main station in {place} were overwhelmed by early morning.",
        "Employers say the union's demands would add millions to annual wage costs at a "
        "difficult time for the industry.",
        "Picket lines formed before dawn outside depots on the edge of {place}.",
        "Schools in parts of {region} told parents to expect pupils to arrive late.",
        "Business groups warned that a prolonged dispute would hit retailers and restaurants in "
        "the city centre.",
        "The last major stoppage in the sector, several years ago, lasted almost a fortnight.",
    ),
)

ELECTION = Topic(
    key="election", slug={"en": "election", "de": "wahl", "fr": "election"},
    label="{country} votes in a general election",
    referent="the election",
    terms={"neutral": "election", "official": "general election", "left": "election",
           "right": "knife-edge vote", "state": "staged vote"},
    de_terms=("die Wahl", "die Schicksalswahl"), fr_terms=("l'élection", "la parodie d'élection"),
    sections={"en": ("Politics", "World"), "de": ("Politik", "Ausland"), "fr": ("Politique",
                                                                                "International")},
    tags={"en": ("Elections", "Politics"), "de": ("Wahlen",), "fr": ("Élections",)},
    org=("the {party} party", "die Partei {party}", "le parti {party}"),
    leader=Role("party leader", ("Parteichef", "Parteichefin"), ("chef du parti",
                                                                 "cheffe du parti")),
    rival=Role("Prime Minister", ("Regierungschef", "Regierungschefin"),
               ("Premier ministre", "Première ministre")),
    quantities=("turnout", "seats", "observers"),
    statements=(
        _st("coalition-needed", "No party is expected to win an outright majority",
            ("no party is expected to win an outright majority, making coalition talks likely",
             "with no outright majority in sight, weeks of coalition talks are expected"),
            "Keine Partei dürfte eine absolute Mehrheit erreichen, Koalitionsverhandlungen gelten "
            "als wahrscheinlich",
            "Aucun parti ne devrait obtenir la majorité absolue, ce qui rend des négociations de "
            "coalition probables"),
        _st("cost-of-living", "Living costs and housing dominated the campaign",
            ("living costs and housing dominated the campaign",
             "the campaign was dominated by the cost of living and a shortage of affordable "
             "housing"),
            "Lebenshaltungskosten und Wohnungsnot bestimmten den Wahlkampf",
            "Le coût de la vie et le logement ont dominé la campagne"),
        _st("queues", "Long queues formed at polling stations",
            ("long queues formed outside polling stations in {place}",
             "voters queued outside polling stations in {place} for much of the afternoon"),
            "Vor den Wahllokalen in {place} bildeten sich lange Schlangen",
            "De longues files d'attente se sont formées devant les bureaux de vote de {place}"),
        _st("results-due", "Final results are expected within days",
            ("final results are expected on {next_day}",
             "the electoral commission said final results would be published on {next_day}"),
            "Das amtliche Endergebnis wird am {next_day} erwartet",
            "Les résultats définitifs sont attendus {next_day}"),
    ),
    quotes=(
        _qt("leader-quote", "leader",
            ("Tonight the people have chosen change", "We will not let them down"),
            "that voters had chosen change and that the party would not let them down",
            ("Heute Abend haben die Menschen den Wandel gewählt",
             "Wir werden sie nicht enttäuschen"),
            ("Ce soir, le peuple a choisi le changement", "Nous ne le décevrons pas")),
        _qt("rival-quote", "rival",
            ("We accept the verdict of the voters", "Our work for this country is not finished"),
            "that the government accepted the voters' verdict but that its work was not finished",
            ("Wir akzeptieren das Votum der Wählerinnen und Wähler",
             "Unsere Arbeit für dieses Land ist nicht beendet"),
            ("Nous acceptons le verdict des électeurs",
             "Notre travail pour ce pays n'est pas terminé")),
    ),
    titles={"en": ("{country} votes in {noun} seen as a test for the government",
                   "{Org} claims lead as {country} counts votes",
                   "Polls close in {country}'s {noun}",
                   "Voters in {country} head to the polls"),
            "de": ("{country} hat gewählt: {org} liegt vorn",
                   "{Noun} in {country}: Regierung unter Druck"),
            "fr": ("{country} : {org} arrive en tête",
                   "{Noun} : les électeurs de {country} aux urnes")},
    leads={"en": ("Voters in {country} went to the polls on {weekday} in {a_noun} that opinion "
                  "surveys had described as too close to call.",
                  "{Org} appeared set to finish first in {country}'s {noun} on {weekday}, "
                  "according to early counts.",
                  "Polling stations across {country}, from the capital {capital} to the towns of "
                  "the {region} region, opened on {weekday} for {a_noun} dominated by the cost of "
                  "living."),
           "de": ("In {country} haben die Menschen am {weekday} ein neues Parlament gewählt.",),
           "fr": ("Les électeurs de {country} ont voté {weekday} pour élire un nouveau Parlement.",
                  )},
    fillers=(
        "Campaign posters still lined the main boulevard of {place} as voting got under way.",
        "Turnout in rural districts of {region} has traditionally been lower than in the cities.",
        "Opinion polls in the final week showed the two main parties separated by only a few "
        "points.",
        "Election monitors were stationed in the larger towns to observe the count.",
        "Several smaller parties hope to cross the threshold needed to enter parliament.",
        "The outgoing government has been in office for two terms.",
    ),
    in_capital=True,
)

PROTEST = Topic(
    key="protest", slug={"en": "protest", "de": "protest", "fr": "manifestation"},
    label="Thousands protest in {place} against {cause}",
    referent="the protest",
    terms={"neutral": "protest", "official": "demonstration", "left": "people's protest",
           "right": "angry protest", "state": "riot"},
    de_terms=("der Protest", "der Krawall"), fr_terms=("la manifestation", "l'émeute"),
    sections={"en": ("World", "News"), "de": ("Politik",), "fr": ("Société", "International")},
    tags={"en": ("Protests",), "de": ("Proteste",), "fr": ("Manifestations",)},
    org=("the {place} Citizens' Committee", "das Bürgerkomitee von {place}",
         "le comité citoyen de {place}"),
    leader=Role("protest organiser", ("Organisator", "Organisatorin"),
                ("organisateur", "organisatrice"), local=True),
    rival=Role("Interior Minister", ("Innenminister", "Innenministerin"),
               ("ministre de l'Intérieur", "ministre de l'Intérieur")),
    quantities=("crowd", "arrests", "injured-officers", "police"),
    statements=(
        _st("route", "The march ended outside parliament",
            ("the march set off from the central station and ended outside parliament",
             "marchers walked from the central station to the parliament building"),
            "Der Zug führte vom Hauptbahnhof bis vor das Parlament",
            "Le cortège est parti de la gare centrale pour rejoindre le Parlement"),
        _st("demand", "The protesters demand the withdrawal of {cause}",
            ("the protesters are demanding that the government withdraw {cause}",
             "demonstrators called on the government to abandon {cause}"),
            "Die Demonstrierenden fordern, dass die Regierung {cause} zurücknimmt",
            "Les manifestants exigent le retrait de {cause}"),
        _st("tear-gas", "Police used tear gas near parliament",
            ("police used tear gas near the parliament building late in the afternoon",
             "tear gas was fired near parliament as the crowd refused to disperse"),
            "Am späten Nachmittag setzte die Polizei in der Nähe des Parlaments Tränengas ein",
            "La police a fait usage de gaz lacrymogène près du Parlement en fin d'après-midi"),
        _st("next-march", "Another march is planned for next week",
            ("organisers have called another march for next week",
             "another demonstration has been announced for next week"),
            "Die Veranstalter kündigten für die kommende Woche eine weitere Kundgebung an",
            "Les organisateurs ont appelé à une nouvelle manifestation la semaine prochaine"),
    ),
    quotes=(
        _qt("leader-quote", "leader",
            ("We are not going away", "The government has to listen to the streets"),
            "that the protesters were not going away and that the government had to listen",
            ("Wir gehen nicht weg", "Die Regierung muss auf die Straße hören"),
            ("Nous ne partirons pas", "Le gouvernement doit écouter la rue")),
        _qt("rival-quote", "rival",
            ("The right to protest is not a right to violence",
             "Those who attacked officers will be found"),
            "that the right to protest was not a right to violence and that those who attacked "
            "officers would be found",
            ("Das Demonstrationsrecht ist kein Recht auf Gewalt",
             "Wer Polizisten angegriffen hat, wird zur Rechenschaft gezogen"),
            ("Le droit de manifester n'est pas un droit à la violence",
             "Ceux qui ont attaqué des policiers seront retrouvés")),
    ),
    titles={"en": ("Huge crowds march in {place} against {cause}",
                   "{Noun} in {place} ends in clashes near parliament",
                   "Thousands take to the streets of {place}",
                   "Anger boils over in {place} as marchers confront police"),
            "de": ("{Noun} in {place}: Tausende gehen auf die Straße",
                   "{place}: Zusammenstöße am Rande der Kundgebung"),
            "fr": ("{Noun} à {place} : des milliers de personnes dans la rue",
                   "{place} : heurts en marge du cortège")},
    leads={"en": ("Thousands of people marched through {place} on {weekday} to demand that the "
                  "government withdraw {cause}.",
                  "{A_noun} against {cause} brought the centre of {place} to a standstill on "
                  "{weekday}.",
                  "Protesters filled the streets of {place} on {weekday}, in one of the largest "
                  "shows of anger against the government in {country} this year."),
           "de": ("In {place} sind am {weekday} Tausende Menschen gegen {cause} auf die Straße "
                  "gegangen.",),
           "fr": ("Des milliers de personnes ont manifesté {weekday} à {place} contre {cause}.",)},
    fillers=(
        "Shops along the route pulled down their shutters as the crowd approached.",
        "Many marchers carried handmade banners and national flags.",
        "Riot police lined the streets leading to the government quarter.",
        "Trams and buses in central {place} were diverted for most of the day.",
        "Student groups and pensioners' associations marched side by side.",
        "Similar, smaller gatherings were reported in several towns across {region}.",
    ),
)

SUMMIT = Topic(
    key="summit", slug={"en": "summit", "de": "gipfel", "fr": "sommet"},
    label="Regional leaders meet for a summit in {place}",
    referent="the summit",
    terms={"neutral": "summit", "official": "leaders' meeting", "left": "talking shop",
           "right": "crisis summit", "state": "bloc summit"},
    de_terms=("der Gipfel", "der Krisengipfel"), fr_terms=("le sommet", "le sommet de crise"),
    sections={"en": ("World", "Politics"), "de": ("Ausland",), "fr": ("International",)},
    tags={"en": ("Diplomacy",), "de": ("Diplomatie",), "fr": ("Diplomatie",)},
    org=("the {region} Cooperation Council", "der Kooperationsrat {region}",
         "le Conseil de coopération de {region}"),
    leader=Role("President", ("Präsident", "Präsidentin"), ("président de {country}",
                                                            "présidente de {country}")),
    rival=Role("Foreign Minister", ("Außenminister", "Außenministerin"),
               ("ministre des Affaires étrangères", "ministre des Affaires étrangères")),
    quantities=("delegations", "police", "summit-cost", "journalists"),
    statements=(
        _st("declaration", "Leaders are to sign a joint declaration on energy security",
            ("leaders are expected to sign a joint declaration on energy security",
             "a joint declaration on energy security is due to be signed on the final day"),
            "Zum Abschluss soll eine gemeinsame Erklärung zur Energiesicherheit unterzeichnet "
            "werden",
            "Une déclaration commune sur la sécurité énergétique doit être signée à l'issue des "
            "travaux"),
        _st("roads-closed", "Central streets are closed to traffic",
            ("large parts of central {place} have been closed to traffic",
             "roads around the conference centre in {place} have been sealed off"),
            "Große Teile der Innenstadt von {place} sind für den Verkehr gesperrt",
            "Une grande partie du centre de {place} est fermée à la circulation"),
        _st("migration", "Migration is also on the agenda",
            ("migration and border security are also on the agenda",
             "delegates will also discuss migration and border controls"),
            "Auch Migration und Grenzschutz stehen auf der Tagesordnung",
            "La migration et la sécurité des frontières sont aussi à l'ordre du jour"),
        _st("absentee", "One neighbouring head of government pulled out",
            ("the prime minister of a neighbouring state pulled out at the last minute",
             "one neighbouring head of government cancelled at the last minute"),
            "Der Regierungschef eines Nachbarlandes sagte seine Teilnahme kurzfristig ab",
            "Le chef du gouvernement d'un pays voisin a annulé sa venue à la dernière minute"),
    ),
    quotes=(
        _qt("leader-quote", "leader",
            ("No country can solve these problems alone", "We have to act together and act now"),
            "that no country could solve the problems alone and that they had to act together",
            ("Kein Land kann diese Probleme allein lösen",
             "Wir müssen gemeinsam handeln, und zwar jetzt"),
            ("Aucun pays ne peut résoudre ces problèmes seul",
             "Nous devons agir ensemble, et maintenant")),
        _qt("rival-quote", "rival",
            ("We came here for results, not photographs",
             "The declaration must be more than words"),
            "that they had come for results rather than photographs",
            ("Wir sind wegen Ergebnissen hier, nicht wegen der Fotos",
             "Die Erklärung muss mehr sein als Worte"),
            ("Nous sommes venus pour des résultats, pas pour des photos",
             "La déclaration doit être plus que des mots")),
    ),
    titles={"en": ("Leaders gather in {place} for {noun} on energy and security",
                   "{Noun} opens in {place} amid tight security",
                   "What is at stake at the {noun} in {place}",
                   "{country} hosts regional leaders for {noun}"),
            "de": ("{Noun} in {place}: Energie und Sicherheit im Mittelpunkt",
                   "Staats- und Regierungschefs treffen sich in {place}"),
            "fr": ("{Noun} de {place} : l'énergie au cœur des discussions",
                   "Les dirigeants de la région réunis à {place}")},
    leads={"en": ("Leaders from across the {region} region gathered in {place} on {weekday} for "
                  "{a_noun} expected to focus on energy supplies and border security.",
                  "{country} opened {a_noun} in {place} on {weekday}, with heads of government "
                  "arriving under heavy security.",
                  "Heads of state and government met in {place} on {weekday} for a two-day "
                  "{noun} hosted by {leader_role} {leader}."),
           "de": ("In {place} hat am {weekday} ein zweitägiges Gipfeltreffen begonnen.",),
           "fr": ("Les dirigeants de la région se sont retrouvés {weekday} à {place} pour un "
                  "sommet de deux jours.",)},
    fillers=(
        "Motorcades swept through the closed streets of {place} throughout the morning.",
        "Hotels in the city centre were fully booked by delegations and the press.",
        "Officials worked late into the night on the wording of the final statement.",
        "Small groups of protesters gathered behind barriers some distance from the venue.",
        "Several bilateral meetings were scheduled on the margins of the main talks.",
        "The previous meeting of the group, a year ago, ended without a common text.",
    ),
)

STORM = Topic(
    key="storm", slug={"en": "storm", "de": "sturm", "fr": "tempete"},
    label="Storm {storm} hits the {region} region",
    referent="the storm",
    terms={"neutral": "storm", "official": "severe weather event", "left": "climate disaster",
           "right": "killer storm", "state": "catastrophe"},
    de_terms=("der Sturm", "der Jahrhundertsturm"), fr_terms=("la tempête", "la catastrophe"),
    sections={"en": ("World", "News"), "de": ("Panorama",), "fr": ("Société", "Planète")},
    tags={"en": ("Weather", "Disasters"), "de": ("Unwetter",), "fr": ("Intempéries",)},
    org=("the national civil protection agency", "der Katastrophenschutz", "la protection civile"),
    leader=Role("civil protection chief", ("Katastrophenschutzchef", "Katastrophenschutzchefin"),
                ("chef de la protection civile", "cheffe de la protection civile")),
    rival=Role("Mayor", ("Bürgermeister", "Bürgermeisterin"), ("maire de {place}",
                                                               "maire de {place}"),
               local=True),
    quantities=("deaths", "injured", "evacuated", "homes", "damage"),
    statements=(
        _st("power-cuts", "Power lines came down across the region",
            ("power lines were brought down across much of {region}",
             "much of {region} lost electricity after power lines came down"),
            "In weiten Teilen von {region} fiel der Strom aus",
            "Une grande partie de {region} a été privée d'électricité"),
        _st("river", "The river burst its banks in the town centre",
            ("the river burst its banks in the centre of {place}",
             "water from the swollen river flooded the old town of {place}"),
            "In {place} trat der Fluss über die Ufer",
            "La rivière est sortie de son lit dans le centre de {place}"),
        _st("army-sent", "The army was deployed to help rescuers",
            ("soldiers have been sent to help with the rescue effort",
             "the army has been deployed to support rescue teams"),
            "Zur Unterstützung der Rettungskräfte wurde die Armee eingesetzt",
            "L'armée a été déployée pour aider les secours"),
        _st("schools-shut", "Schools in the region remain closed",
            ("all schools in {region} remain closed",
             "schools across {region} have been told to stay shut"),
            "Alle Schulen in {region} bleiben geschlossen",
            "Toutes les écoles de {region} restent fermées"),
    ),
    quotes=(
        _qt("leader-quote", "leader",
            ("Our teams are working around the clock",
             "The priority now is to reach those who are still cut off"),
            "that rescue teams were working around the clock to reach people who were still cut "
            "off",
            ("Unsere Teams arbeiten rund um die Uhr",
             "Jetzt geht es darum, die Menschen zu erreichen, die noch abgeschnitten sind"),
            ("Nos équipes travaillent jour et nuit",
             "La priorité est d'atteindre ceux qui sont encore isolés")),
        _qt("rival-quote", "rival",
            ("We were warned and we were not ready", "People here need help today, not promises"),
            "that the town had been warned but had not been ready, and that residents needed help "
            "rather than promises",
            ("Wir wurden gewarnt und waren nicht vorbereitet",
             "Die Menschen hier brauchen heute Hilfe, keine Versprechen"),
            ("Nous avions été prévenus et nous n'étions pas prêts",
             "Les gens ici ont besoin d'aide aujourd'hui, pas de promesses")),
    ),
    titles={"en": ("Storm {storm} batters {region}, leaving a trail of destruction",
                   "{Noun} floods {place} as rivers burst their banks",
                   "Rescuers race to reach villages cut off by Storm {storm}",
                   "Storm {storm}: what we know so far"),
            "de": ("Sturm {storm} verwüstet {region}",
                   "{Noun} über {region}: Helfer im Dauereinsatz"),
            "fr": ("La tempête {storm} frappe {region}",
                   "{Noun} : les secours mobilisés à {place}")},
    leads={"en": ("Storm {storm} tore through the {region} region on {weekday}, flooding streets "
                  "in {place} and cutting power to large areas.",
                  "Rescue teams in {country} worked through the night after Storm {storm} brought "
                  "torrential rain and hurricane-force winds to {place}.",
                  "{A_noun} swept across {region} on {weekday}, with Storm {storm} bringing the "
                  "worst flooding {place} has seen in decades."),
           "de": ("Sturm {storm} hat am {weekday} in der Region {region} schwere Schäden "
                  "angerichtet.",),
           "fr": ("La tempête {storm} a frappé {weekday} la région de {region}, provoquant "
                  "d'importants dégâts.",)},
    fillers=(
        "Residents used boats to move between houses in the lower part of {place}.",
        "Forecasters had issued their highest level of warning two days earlier.",
        "Volunteers filled sandbags outside the town hall through the night.",
        "Insurance companies said it was too early to give an estimate of claims.",
        "Several main roads into {place} remained blocked by fallen trees.",
        "Scientists say storms of this strength have become more frequent in the region.",
    ),
)

RULING = Topic(
    key="ruling", slug={"en": "court-ruling", "de": "urteil", "fr": "decision"},
    label="The constitutional court of {country} rules on {case}",
    referent="the ruling",
    terms={"neutral": "ruling", "official": "judgment", "left": "landmark ruling",
           "right": "bombshell ruling", "state": "political verdict"},
    de_terms=("das Urteil", "das Skandalurteil"), fr_terms=("la décision", "le verdict politique"),
    sections={"en": ("Politics", "Law"), "de": ("Politik", "Recht"), "fr": ("Politique",
                                                                            "Justice")},
    tags={"en": ("Courts", "Law"), "de": ("Justiz",), "fr": ("Justice",)},
    org=("the Constitutional Court of {country}", "das Verfassungsgericht von {country}",
         "la Cour constitutionnelle de {country}"),
    leader=Role("Chief Justice", ("Gerichtspräsident", "Gerichtspräsidentin"),
                ("président de la Cour", "présidente de la Cour")),
    rival=Role("Justice Minister", ("Justizminister", "Justizministerin"),
               ("ministre de la Justice", "ministre de la Justice")),
    quantities=("claimants", "repayment", "households"),
    statements=(
        _st("struck-down", "The court struck down key provisions",
            ("the court struck down key parts of {case}",
             "judges ruled that central provisions of {case} were unconstitutional"),
            "Zentrale Teile der umstrittenen Regelung sind nach Auffassung des Gerichts "
            "verfassungswidrig",
            "La Cour a censuré des dispositions essentielles du texte"),
        _st("six-months", "Parliament has six months to amend the law",
            ("parliament has been given six months to amend the law",
             "lawmakers must rewrite the contested provisions within six months"),
            "Das Parlament muss die Regelung binnen sechs Monaten nachbessern",
            "Le Parlement dispose de six mois pour corriger le texte"),
        _st("narrow-majority", "The decision was taken by a narrow majority",
            ("the decision was taken by a narrow majority of the judges",
             "the judges were divided, and the ruling passed by a narrow majority"),
            "Die Entscheidung fiel mit knapper Mehrheit",
            "La décision a été prise à une courte majorité des juges"),
        _st("final", "There is no appeal against the ruling",
            ("there is no right of appeal against the ruling",
             "the ruling is final and cannot be appealed"),
            "Gegen das Urteil sind keine Rechtsmittel möglich",
            "La décision est définitive et sans appel"),
    ),
    quotes=(
        _qt("leader-quote", "leader",
            ("The constitution sets limits that apply to every government",
             "This court is bound by the law, not by politics"),
            "that the constitution set limits for every government and that the court was bound "
            "by law rather than politics",
            ("Die Verfassung setzt Grenzen, die für jede Regierung gelten",
             "Dieses Gericht ist an das Recht gebunden, nicht an die Politik"),
            ("La Constitution fixe des limites qui s'imposent à tout gouvernement",
             "Cette Cour est liée par le droit, pas par la politique")),
        _qt("rival-quote", "rival",
            ("We respect the court but we disagree with its reasoning",
             "The government will study the judgment carefully"),
            "that the government respected the court but disagreed with its reasoning",
            ("Wir respektieren das Gericht, teilen aber seine Begründung nicht",
             "Die Regierung wird das Urteil sorgfältig prüfen"),
            ("Nous respectons la Cour mais nous ne partageons pas son raisonnement",
             "Le gouvernement va étudier la décision avec attention")),
    ),
    titles={"en": ("Top court in {country} strikes down parts of {case}",
                   "{Noun} deals a blow to {country}'s government",
                   "Judges in {capital} rule against {case}",
                   "What the court's {noun} on {case} means"),
            "de": ("Verfassungsgericht in {country} kippt Teile eines Gesetzes",
                   "{Noun}: Niederlage für die Regierung von {country}"),
            "fr": ("La Cour constitutionnelle de {country} censure {case}",
                   "{Noun} : revers pour le gouvernement de {country}")},
    leads={"en": ("{country}'s constitutional court on {weekday} struck down central parts of "
                  "{case}, in {a_noun} that the government called disappointing.",
                  "Judges in {capital} ruled on {weekday} that {case} breached the constitution, "
                  "handing the government one of its most serious legal defeats.",
                  "The Constitutional Court of {country} delivered its long-awaited {noun} on "
                  "{case} on {weekday}, ordering parliament to rewrite the law."),
           "de": ("Das Verfassungsgericht von {country} hat am {weekday} wesentliche Teile eines "
                  "umstrittenen Gesetzes gekippt.",),
           "fr": ("La Cour constitutionnelle de {country} a censuré {weekday} plusieurs "
                  "dispositions de {case}.",)},
    fillers=(
        "Lawyers for the claimants embraced outside the court building after the decision was "
        "read out.",
        "The case had been brought by a group of opposition lawmakers and civil liberties "
        "organisations.",
        "Legal scholars said the judgment could shape how future governments draft similar laws.",
        "The reading of the decision took more than two hours.",
        "Supporters and opponents of the law gathered on opposite sides of the square outside "
        "the court.",
        "The government had argued that the measures were necessary and proportionate.",
    ),
    in_capital=True,
)

CONTRACT = Topic(
    key="contract", slug={"en": "contract", "de": "auftrag", "fr": "contrat"},
    label="{company} wins an armoured vehicle contract from {country}",
    referent="the contract",
    terms={"neutral": "contract", "official": "procurement agreement", "left": "arms deal",
           "right": "mega-deal", "state": "arms bonanza"},
    de_terms=("der Auftrag", "der Rüstungsdeal"), fr_terms=("le contrat",
                                                            "le juteux contrat d'armement"),
    sections={"en": ("Business", "Companies"), "de": ("Wirtschaft",), "fr": ("Économie",
                                                                             "Entreprises")},
    tags={"en": ("Defence industry", "Companies"), "de": ("Rüstung", "Unternehmen"),
          "fr": ("Industrie de défense",)},
    org=("{company}", "{company}", "{company}"),
    leader=Role("{company} chief executive", ("{company}-Chef", "{company}-Chefin"),
                ("PDG de {company}", "PDG de {company}"), local=True),
    rival=Role("Defence Minister", ("Verteidigungsminister", "Verteidigungsministerin"),
               ("ministre des Armées", "ministre des Armées")),
    quantities=("contract-value", "units", "jobs"),
    statements=(
        _st("deliveries", "Deliveries begin in two years",
            ("deliveries are due to begin in two years",
             "the first vehicles are scheduled to be delivered in two years' time"),
            "Die ersten Auslieferungen sind in zwei Jahren geplant",
            "Les premières livraisons sont prévues dans deux ans"),
        _st("plant", "Most of the work will be done at the plant near {place}",
            ("most of the work will be done at the company's plant outside {place}",
             "production will be concentrated at {company}'s factory near {place}"),
            "Gefertigt wird überwiegend im Werk des Unternehmens bei {place}",
            "L'essentiel de la production sera assuré dans l'usine du groupe près de {place}"),
        _st("shares-rose", "The company's shares rose",
            ("{company}'s shares rose after the announcement",
             "shares in {company} climbed on the news"),
            "Die Aktie von {company} legte nach der Ankündigung zu",
            "L'action {company} a progressé après l'annonce"),
        _st("no-tender", "The contract was awarded without an open tender",
            ("the contract was awarded without an open tender",
             "no open tender was held before the contract was awarded"),
            "Der Auftrag wurde ohne offene Ausschreibung vergeben",
            "Le contrat a été attribué sans appel d'offres ouvert"),
    ),
    quotes=(
        _qt("leader-quote", "leader",
            ("This is a vote of confidence in our workforce",
             "We will deliver on time and on budget"),
            "that the order was a vote of confidence in the workforce and would be delivered on "
            "time and on budget",
            ("Das ist ein Vertrauensbeweis für unsere Belegschaft",
             "Wir werden pünktlich und im Kostenrahmen liefern"),
            ("C'est un vote de confiance envers nos salariés",
             "Nous livrerons dans les délais et dans le budget")),
        _qt("rival-quote", "rival",
            ("Our armed forces need modern equipment",
             "This order also secures skilled jobs at home"),
            "that the armed forces needed modern equipment and that the order secured skilled "
            "jobs at home",
            ("Unsere Streitkräfte brauchen moderne Ausrüstung",
             "Dieser Auftrag sichert auch qualifizierte Arbeitsplätze im Land"),
            ("Nos armées ont besoin d'équipements modernes",
             "Cette commande préserve aussi des emplois qualifiés dans le pays")),
    ),
    titles={"en": ("{company} wins {noun} from {country}'s armed forces",
                   "{country} signs {noun} with {company}",
                   "{company} shares rise on {noun} win",
                   "Inside {country}'s {noun} with {company}"),
            "de": ("{company} erhält Großauftrag aus {country}",
                   "{Noun} mit {company}: Kritik an fehlender Ausschreibung"),
            "fr": ("{company} décroche un contrat avec {country}",
                   "{Noun} de {company} fait débat")},
    leads={"en": ("{country} has awarded {company} {a_noun} for armoured vehicles, the defence "
                  "ministry announced on {weekday}.",
                  "{company} said on {weekday} it had signed {a_noun} with {country}'s defence "
                  "ministry, one of the largest orders in the company's history.",
                  "The government of {country} on {weekday} confirmed {a_noun} with {company}, "
                  "ending months of speculation about the future of the company's plant near "
                  "{place}."),
           "de": ("{company} hat am {weekday} einen Großauftrag der Streitkräfte von {country} "
                  "erhalten.",),
           "fr": ("{company} a annoncé {weekday} la signature d'un contrat avec les forces armées "
                  "de {country}.",)},
    fillers=(
        "Analysts said the order would keep the production lines busy for much of the decade.",
        "The company has been cutting costs after two difficult years.",
        "Unions at the plant near {place} welcomed the news but asked for guarantees on pay.",
        "Rival manufacturers had also been in the running for the order.",
        "Defence spending in {country} has risen sharply over the past two years.",
        "Details of the financing were not disclosed.",
    ),
)

BUDGET = Topic(
    key="budget", slug={"en": "budget", "de": "haushalt", "fr": "budget"},
    label="The government of {country} presents its budget",
    referent="the budget",
    terms={"neutral": "budget", "official": "finance bill", "left": "austerity budget",
           "right": "tax raid", "state": "austerity package"},
    de_terms=("der Haushalt", "der Sparhaushalt"), fr_terms=("le budget", "le budget d'austérité"),
    sections={"en": ("Business", "Economy"), "de": ("Wirtschaft",), "fr": ("Économie",)},
    tags={"en": ("Economy", "Public finances"), "de": ("Haushalt",), "fr": ("Finances publiques",)},
    org=("the finance ministry", "das Finanzministerium", "le ministère des Finances"),
    leader=Role("Finance Minister", ("Finanzminister", "Finanzministerin"),
                ("ministre des Finances", "ministre des Finances")),
    rival=Role("opposition leader", ("Oppositionsführer", "Oppositionsführerin"),
               ("chef de l'opposition", "cheffe de l'opposition")),
    quantities=("spending", "deficit", "public-jobs"),
    statements=(
        _st("sales-tax", "Sales tax rises by one point",
            ("the standard rate of sales tax will rise by one point",
             "sales tax goes up by one percentage point under the plan"),
            "Der reguläre Mehrwertsteuersatz steigt um einen Punkt",
            "Le taux normal de TVA augmente d'un point"),
        _st("pension-freeze", "Pensions are frozen for a year",
            ("pensions will be frozen for a year",
             "state pensions are to be frozen for twelve months"),
            "Die Renten werden für ein Jahr eingefroren",
            "Les retraites seront gelées pendant un an"),
        _st("defence-up", "Defence receives more money",
            ("defence is one of the few areas to receive more money",
             "defence spending is among the few budget lines that will grow"),
            "Die Verteidigung gehört zu den wenigen Bereichen, die mehr Geld erhalten",
            "La défense fait partie des rares postes en hausse"),
        _st("vote-due", "Parliament votes before the end of the month",
            ("parliament will vote on the plan before the end of the month",
             "a parliamentary vote on the budget is expected before the month is out"),
            "Das Parlament soll noch vor Monatsende abstimmen",
            "Le Parlement doit se prononcer avant la fin du mois"),
    ),
    quotes=(
        _qt("leader-quote", "leader",
            ("These are difficult choices but they are the right ones",
             "We cannot keep borrowing against our children's future"),
            "that the choices were difficult but right and that the country could not keep "
            "borrowing against its children's future",
            ("Das sind schwierige Entscheidungen, aber es sind die richtigen",
             "Wir können nicht weiter Schulden auf Kosten unserer Kinder machen"),
            ("Ce sont des choix difficiles, mais ce sont les bons",
             "Nous ne pouvons pas continuer à emprunter sur le dos de nos enfants")),
        _qt("rival-quote", "rival",
            ("This budget asks the poorest to pay the most", "We will vote against it"),
            "that the budget asked the poorest to pay the most and that the opposition would "
            "vote against it",
            ("Dieser Haushalt lässt die Ärmsten am meisten bezahlen", "Wir werden dagegen stimmen"),
            ("Ce budget fait payer les plus modestes", "Nous voterons contre")),
    ),
    titles={"en": ("{country} unveils {noun} with tax rises and a pension freeze",
                   "{Leader_role} {leader} defends {noun} in parliament",
                   "Who wins and who loses in {country}'s {noun}",
                   "{Noun}: sales tax up, pensions frozen"),
            "de": ("{Noun} in {country}: Steuern rauf, Renten eingefroren",
                   "{Leader_role} {leader} verteidigt die Sparpläne"),
            "fr": ("{country} présente un budget de rigueur",
                   "{Noun} : hausse de la TVA et gel des retraites")},
    leads={"en": ("{country}'s government presented {a_noun} on {weekday} that raises taxes and "
                  "freezes pensions in an attempt to bring down borrowing.",
                  "{Leader_role} {leader} set out {a_noun} to parliament in {capital} on "
                  "{weekday}, promising to restore order to the public finances.",
                  "Households in {country} face higher taxes under {a_noun} unveiled on {weekday} "
                  "by {leader_role} {leader}."),
           "de": ("Die Regierung von {country} hat am {weekday} ihren Haushaltsentwurf vorgelegt.",
                  ),
           "fr": ("Le gouvernement de {country} a présenté {weekday} son projet de budget.",)},
    fillers=(
        "Ratings agencies have warned that the country's debt is on an unsustainable path.",
        "Business groups welcomed the plan's focus on reducing borrowing.",
        "Economists said the measures would weigh on consumer spending in the short term.",
        "The budget is the first to be drawn up by the current finance team.",
        "Trade unions have threatened protests if the pension freeze goes ahead.",
        "Interest payments on the national debt have more than doubled in three years.",
    ),
    in_capital=True,
)

BORDER_INCIDENT = Topic(
    key="border", slug={"en": "border-incident", "de": "grenze", "fr": "frontiere"},
    label="Incident on the border between {country} and {neighbour} near {place}",
    referent="the incident",
    terms={"neutral": "incident", "official": "border incident", "left": "standoff",
           "right": "border clash", "state": "provocation"},
    de_terms=("der Zwischenfall", "der Grenzkonflikt"), fr_terms=("l'incident", "la provocation"),
    sections={"en": ("World",), "de": ("Ausland",), "fr": ("International",)},
    tags={"en": ("Borders", "Security"), "de": ("Grenzen", "Sicherheit"), "fr": ("Frontières",)},
    org=("the border guard service", "der Grenzschutz", "le service des garde-frontières"),
    leader=Role("Interior Minister", ("Innenminister", "Innenministerin"),
                ("ministre de l'Intérieur", "ministre de l'Intérieur")),
    rival=Role("{neighbour}'s ambassador", ("Botschafter von {neighbour}",
                                            "Botschafterin von {neighbour}"),
               ("ambassadeur de {neighbour}", "ambassadrice de {neighbour}")),
    quantities=("border-troops", "detained", "border-vehicles"),
    statements=(
        _st("crossing-closed", "The main crossing was closed",
            ("the main crossing near {place} has been closed",
             "traffic at the main checkpoint near {place} was halted"),
            "Der wichtigste Grenzübergang bei {place} wurde geschlossen",
            "Le principal poste-frontière près de {place} a été fermé"),
        _st("ambassador-summoned", "{neighbour}'s ambassador was summoned",
            ("{country} summoned {neighbour}'s ambassador",
             "the foreign ministry in {capital} called in {neighbour}'s ambassador"),
            "{country} bestellte den Botschafter von {neighbour} ein",
            "{country} a convoqué l'ambassadeur de {neighbour}"),
        _st("warning-shots", "Warning shots were fired during the night",
            ("warning shots were fired during the night",
             "guards fired warning shots during the night, according to witnesses"),
            "In der Nacht fielen Warnschüsse",
            "Des tirs de sommation ont été entendus dans la nuit"),
        _st("joint-inquiry", "A joint investigation has been proposed",
            ("a joint investigation has been proposed",
             "both sides have been urged to set up a joint investigation"),
            "Eine gemeinsame Untersuchung wurde vorgeschlagen",
            "Une enquête conjointe a été proposée"),
    ),
    quotes=(
        _qt("leader-quote", "leader",
            ("Our border will be protected", "Any violation will receive a firm response"),
            "that the border would be protected and that any violation would receive a firm "
            "response",
            ("Unsere Grenze wird geschützt",
             "Jede Verletzung wird eine entschlossene Antwort erhalten"),
            ("Notre frontière sera protégée", "Toute violation recevra une réponse ferme")),
        _qt("rival-quote", "rival",
            ("Our patrol was on our own side of the line",
             "The accusations are without foundation"),
            "that its patrol had stayed on its own side of the line and that the accusations were "
            "baseless",
            ("Unsere Patrouille war auf unserer Seite der Linie",
             "Die Vorwürfe entbehren jeder Grundlage"),
            ("Notre patrouille se trouvait de notre côté de la ligne",
             "Les accusations sont sans fondement")),
    ),
    titles={"en": ("Tension on the {country}-{neighbour} border after {noun} near {place}",
                   "{country} accuses {neighbour} over {noun} at {place}",
                   "{Noun} at {place}: what we know",
                   "{country} closes crossing after {noun}"),
            "de": ("{Noun} an der Grenze bei {place}",
                   "{country} wirft {neighbour} Grenzverletzung vor"),
            "fr": ("{Noun} à la frontière près de {place}",
                   "{country} accuse {neighbour} de violation de frontière")},
    leads={"en": ("{country} accused {neighbour} on {weekday} of violating its border near "
                  "{place}, in {a_noun} that has raised tensions between the two neighbours.",
                  "Border guards from {country} and {neighbour} faced each other near {place} on "
                  "{weekday} after {a_noun} along a disputed stretch of the frontier.",
                  "{A_noun} on the border between {country} and {neighbour} near {place} prompted "
                  "both governments to reinforce their positions on {weekday}."),
           "de": ("An der Grenze zwischen {country} und {neighbour} ist es am {weekday} bei "
                  "{place} zu einem Zwischenfall gekommen.",),
           "fr": ("Un incident a eu lieu {weekday} à la frontière entre {country} et {neighbour}, "
                  "près de {place}.",)},
    fillers=(
        "The border in the area runs through forest and farmland and is only partly fenced.",
        "Villagers on both sides said they had heard vehicles moving during the night.",
        "Relations between {country} and {neighbour} have been strained for several years.",
        "Satellite images published by independent researchers showed new positions near the line.",
        "A similar incident on the same stretch of border was resolved through talks last year.",
        "Farmers near {place} were told to stay away from fields close to the frontier.",
    ),
)

TOPICS: tuple[Topic, ...] = (EXERCISE, STRIKE, ELECTION, PROTEST, SUMMIT, STORM, RULING,
                             CONTRACT, BUDGET, BORDER_INCIDENT)

CAUSES = (("the pension reform", "die Rentenreform", "la réforme des retraites"),
          ("a planned rise in fuel taxes", "die geplante Erhöhung der Kraftstoffsteuer",
           "la hausse prévue des taxes sur les carburants"),
          ("plans for a new open-pit mine", "die Pläne für einen neuen Tagebau",
           "la construction d'une nouvelle mine à ciel ouvert"),
          ("cuts to hospital funding", "die Kürzungen bei den Krankenhäusern",
           "la baisse du financement des hôpitaux"),
          ("a new security law", "das neue Sicherheitsgesetz", "la nouvelle loi sur la sécurité"))
CASES = (("the new surveillance law", "das neue Überwachungsgesetz",
          "la nouvelle loi sur la surveillance"),
         ("the reform of the state broadcaster", "die Reform des Staatsrundfunks",
          "la réforme de l'audiovisuel public"),
         ("the privatisation of water supplies", "die Privatisierung der Wasserversorgung",
          "la privatisation de l'eau"),
         ("the permit for a coal-fired power plant", "die Genehmigung für ein Kohlekraftwerk",
          "l'autorisation d'une centrale à charbon"))


# ---------------------------------------------------------------- follow-ups

FOLLOW_TITLES = {
    "en": ("{place} {noun}: what happens next",
           "Questions mount in {capital} after {noun} in {place}",
           "After the {noun}, {place} takes stock", "{Noun} in {place}: the fallout continues"),
    "de": ("{place}: Die Debatte geht weiter",
           "Nach den Ereignissen in {place}: Wie geht es weiter?"),
    "fr": ("{place} : le débat se poursuit",
           "Après les événements de {place}, l'heure des questions"),
}
FOLLOW_LEADS = {
    "en": ("The fallout from the {noun} in {place} continued on {pub_weekday}, with "
           "{leader_role} {leader} facing fresh questions.",
           "Several days after the {noun} in {place} first made headlines, the arguments over what "
           "happened and what comes next show no sign of ending.",
           "Attention in {country} turned on {pub_weekday} to the consequences of the {noun} in "
           "{place}.",
           "Officials in {capital} were still counting the cost of the {noun} in {place} on "
           "{pub_weekday}."),
    "de": ("Auch Tage danach beschäftigt {noun} in {place} die Politik in {capital}.",
           "Die Ereignisse in {place} sorgen in {country} weiter für Diskussionen."),
    "fr": ("Plusieurs jours après, {noun} de {place} continue de faire débat à {capital}.",
           "Les événements de {place} restent au cœur du débat dans le pays."),
}
FOLLOW_SLUGS = {"en": ("update", "fallout", "latest", "what-next"), "de": ("folgen", "debatte"),
                "fr": ("suite", "debat")}


# ---------------------------------------------------------------- fillers

FILLERS_EN = (
    # background
    "The {noun} dominated the front pages of newspapers in {capital} on {weekday}.",
    "Residents of {place} said they had followed events closely on television and social media.",
    "{place}, a city of around two hundred thousand people, lies in the north of the {region} "
    "region.",
    "The {region} region has long been regarded as one of the most politically sensitive parts of "
    "{country}.",
    "{country} has been governed by a fragile coalition since the last election.",
    "Local officials in {place} said they had been given little notice of what was planned.",
    "The government in {capital} has faced mounting criticism over its handling of the economy.",
    "Much of the public debate in {country} in recent months has focused on prices and wages.",
    "The last comparable event in the region took place almost a decade ago.",
    "Roads in and out of {place} were busier than usual throughout the day.",
    "The city's mayor urged residents to follow official advice and avoid unnecessary travel.",
    "Television crews from several countries were present in {place}.",
    "The regional council of {region} held an emergency session to discuss the situation.",
    "Few in {place} could remember a week like it.",
    "The railway line linking {place} with {capital} was running a reduced timetable.",
    "Newspapers in neighbouring countries also gave the {noun} prominent coverage.",
    "Opinion polls suggest that voters in {country} are deeply divided on the issue.",
    "{leader_role} {leader} has held the post for just over two years.",
    "{rival_role} {rival} has become one of the most quoted voices in the debate.",
    "The government has a narrow majority in parliament.",
    # context
    "{expert}, an analyst at the {institute} in {capital}, said the {noun} had to be seen against "
    "a background of rising regional tension.",
    "According to {expert} of the {institute}, the coming days would show whether the government "
    "could keep control of the agenda.",
    "Diplomats said the situation was being watched closely in neighbouring capitals.",
    "Observers noted that the timing was awkward for the government, which faces a difficult "
    "budget debate.",
    "Economists warned that uncertainty could weigh on investment in the region.",
    "Critics say the government has failed to explain its plans clearly.",
    "Supporters of the government argue that it had little choice.",
    "The opposition has called for a full debate in parliament.",
    "Business leaders in {place} said they were worried about the impact on trade.",
    "The issue has become a test of the government's authority.",
    "Several regional governments have asked for more information from {capital}.",
    "Experts said it was too early to draw firm conclusions.",
    "International organisations called on all sides to show restraint.",
    "The events in {place} have revived a long-running debate about the balance of power between "
    "the capital and the regions.",
    "Commentators in {capital} were divided over what the {noun} would mean for the government.",
    "Some analysts said the {noun} could strengthen the hand of the opposition.",
    "Others argued that public attention would quickly move on.",
    "The government has promised to publish a full report within weeks.",
    "Similar disputes in other countries have dragged on for months.",
    "Markets in {capital} showed little reaction.",
    # reaction
    "\"We just want to know what is going on,\" said a shopkeeper in the centre of {place}.",
    "A teacher in {place}, who asked not to be named, said many families were anxious.",
    "Church leaders in {region} called for calm.",
    "Student groups said they would hold meetings on the issue next week.",
    "The main employers' federation said it was following the situation closely.",
    "Farmers' organisations in {region} said the {noun} had added to their worries.",
    "Several lawmakers from the governing parties privately expressed frustration.",
    "Messages of support and criticism flooded social media throughout the day.",
    "Human rights groups said they would monitor the situation.",
    "The mayor of {capital} said the city stood ready to help.",
    "Neighbouring governments issued brief statements but avoided direct criticism.",
    "Local radio stations in {place} broadcast special programmes through the evening.",
    "Residents gathered in cafes and on street corners to discuss the news.",
    "A spokesperson for {org} declined to comment further.",
    "{rival} said the government would have to answer questions in parliament.",
    "{leader} is expected to give a fuller account later in the week.",
    "Officials said more details would be released in the coming days.",
    "Relief organisations said they were ready to help if needed.",
    "Veterans of earlier campaigns in {place} said the mood was unlike anything they had seen.",
    "The government's critics said the {noun} showed the need for a change of course.",
)
FILLERS_DE = (
    "{Noun} sorgt auch im Ausland für Aufmerksamkeit.",
    "In {capital} tagte am Abend ein Krisenstab der Regierung.",
    "Die Opposition verlangt eine Debatte im Parlament.",
    "Beobachter sprechen von einer heiklen Lage für die Regierung.",
    "Die Stadt {place} liegt im Norden der Region {region}.",
    "Viele Anwohner verfolgten die Ereignisse im Fernsehen und in den sozialen Netzwerken.",
    "Die Regionalregierung von {region} kündigte eine Sondersitzung an.",
    "Wirtschaftsverbände zeigten sich besorgt über mögliche Folgen für den Handel.",
    "Kritiker werfen der Regierung vor, ihre Pläne nicht ausreichend erklärt zu haben.",
    "Anhänger der Regierung halten die Entscheidung dagegen für alternativlos.",
    "Die Nachbarstaaten äußerten sich bislang nur zurückhaltend.",
    "Auf den Straßen von {place} herrschte den ganzen Tag über großer Andrang.",
    "Die Bahnverbindung zwischen {place} und {capital} war eingeschränkt.",
    "Umfragen zufolge ist die Bevölkerung in der Frage tief gespalten.",
    "Die Regierungskoalition verfügt im Parlament nur über eine knappe Mehrheit.",
    "Experten warnen davor, voreilige Schlüsse zu ziehen.",
    "Internationale Organisationen riefen alle Seiten zur Zurückhaltung auf.",
    "Die Kirchen in der Region {region} mahnten zur Besonnenheit.",
    "Mehrere Abgeordnete der Regierungsparteien äußerten hinter vorgehaltener Hand Unmut.",
    "In den sozialen Netzwerken wurde der Vorgang lebhaft diskutiert.",
    "Ein Sprecher der Regierung kündigte weitere Informationen für die kommenden Tage an.",
    "Lokale Radiosender in {place} berichteten den ganzen Abend über die Lage.",
    "Die Börse in {capital} reagierte kaum.",
    "Vergleichbare Auseinandersetzungen in anderen Ländern zogen sich über Monate hin.",
    "Die Regierung versprach, binnen weniger Wochen einen ausführlichen Bericht vorzulegen.",
    "Viele Menschen in {place} sagen, sie hätten eine solche Woche noch nicht erlebt.",
    "Die Zeitungen in {capital} widmeten dem Thema am {weekday} ihre Titelseiten.",
    "Auch Fernsehteams aus mehreren Ländern waren in {place} vor Ort.",
    "Die Wirtschaft des Landes leidet seit Monaten unter hohen Preisen.",
    "Nach Einschätzung von Fachleuten dürfte das Thema die Politik noch lange beschäftigen.",
    "Bürgerinitiativen kündigten für die kommende Woche Versammlungen an.",
    "Der Bürgermeister von {place} rief die Bevölkerung auf, Ruhe zu bewahren.",
    "Die Regierung in {capital} steht seit Wochen unter Druck.",
    "Die letzte vergleichbare Lage in der Region liegt fast zehn Jahre zurück.",
)
FILLERS_FR = (
    "{Noun} fait également les gros titres à l'étranger.",
    "Une cellule de crise s'est réunie dans la soirée à {capital}.",
    "L'opposition réclame un débat au Parlement.",
    "Les observateurs évoquent une situation délicate pour le gouvernement.",
    "La ville de {place} se trouve dans le nord de la région de {region}.",
    "De nombreux habitants ont suivi les événements à la télévision et sur les réseaux sociaux.",
    "Le conseil régional de {region} a annoncé une session extraordinaire.",
    "Les organisations patronales se disent inquiètes des conséquences pour le commerce.",
    "Les critiques reprochent au gouvernement de ne pas avoir suffisamment expliqué ses projets.",
    "Les partisans du gouvernement estiment au contraire qu'il n'avait pas le choix.",
    "Les pays voisins se sont pour l'instant montrés très prudents.",
    "Les rues de {place} ont connu une forte affluence tout au long de la journée.",
    "La liaison ferroviaire entre {place} et {capital} a été perturbée.",
    "Selon les sondages, la population reste profondément divisée sur la question.",
    "La coalition au pouvoir ne dispose que d'une courte majorité au Parlement.",
    "Les experts mettent en garde contre des conclusions hâtives.",
    "Plusieurs organisations internationales ont appelé toutes les parties à la retenue.",
    "Les responsables religieux de la région ont appelé au calme.",
    "Plusieurs députés de la majorité ont fait part, en privé, de leur agacement.",
    "Le sujet a suscité de vifs échanges sur les réseaux sociaux.",
    "Un porte-parole du gouvernement a promis de nouvelles informations dans les prochains jours.",
    "Les radios locales de {place} ont consacré leur soirée à la situation.",
    "La Bourse de {capital} a peu réagi.",
    "Des conflits comparables dans d'autres pays ont duré des mois.",
    "Le gouvernement a promis de publier un rapport détaillé d'ici quelques semaines.",
    "Beaucoup d'habitants de {place} disent n'avoir jamais vécu une telle semaine.",
    "Les journaux de {capital} en ont fait leur une {weekday}.",
    "Des équipes de télévision de plusieurs pays étaient présentes à {place}.",
    "L'économie du pays souffre depuis des mois de la hausse des prix.",
    "Selon les spécialistes, le dossier devrait occuper la vie politique pendant longtemps.",
    "Des collectifs citoyens ont annoncé des réunions pour la semaine prochaine.",
    "Le maire de {place} a appelé la population au calme.",
    "Le gouvernement de {capital} est sous pression depuis plusieurs semaines.",
    "La dernière situation comparable dans la région remonte à près de dix ans.",
)
WIRE_SIGNOFF = "(Reporting by {a}; editing by {b})"


# ---------------------------------------------------------------- names

WEEKDAYS = {"en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
            "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
            "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")}
COUNTRIES = ("Velmora", "Kastria", "Dorvania", "Lurenia", "Brastova", "Morvia", "Sandaria",
             "Norvenia", "Galtria", "Pelonia", "Rusvana", "Heldaria", "Vostria", "Dravonia",
             "Baltoria", "Serlania", "Krevania", "Molvaria", "Tavaria", "Lindora", "Belmaria",
             "Gorvenia", "Rodania", "Siveria")
ONSETS = ("B", "D", "G", "H", "K", "L", "M", "N", "P", "R", "S", "T", "V", "Br", "Dr", "Gr",
          "Kr", "Tr", "Sk", "St", "Str", "Sv", "Th", "Vr", "Z")
VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ei")
SINGLE_MIDDLES = ("l", "n", "r", "s", "v", "d", "k", "m", "t")
MIDDLES = SINGLE_MIDDLES + ("nd", "rk", "st", "lv", "rn", "sk")
PLACE_ENDS = ("holm", "ava", "ovo", "ara", "en", "ice", "ana", "berg", "dal", "mark",
              "ene", "ora", "ity", "ford", "port", "ov", "in", "au", "ach")
REGION_ENDS = ("ia", "land", "mark", "ova", "ene", "aria", "ovia", "ith")
SURNAME_ENDS = ("ek", "in", "ov", "ar", "os", "ell", "ane", "ick", "er", "en", "ak", "is",
                "ez", "ard", "off", "ani")
FIRST_F = ("Anna", "Lena", "Irena", "Sofia", "Nadia", "Clara", "Ines", "Maren", "Elin", "Marta",
           "Vera", "Lucia", "Hanna", "Petra", "Olga", "Greta", "Mira", "Alina", "Teresa", "Ida",
           "Katya", "Livia", "Zora", "Agnes", "Rosa", "Dagny", "Nora", "Eva")
FIRST_M = ("Tomas", "Pavel", "Jonas", "Mikael", "Marek", "Oskar", "Viktor", "Stefan", "Dario",
           "Henrik", "Luka", "Anton", "Erik", "Filip", "Goran", "Ivo", "Jakob", "Karel", "Milan",
           "Nikolai", "Otto", "Rafael", "Sven", "Teodor", "Emil", "Bruno", "Adam", "Leon")
STORM_NAMES = ("Agatha", "Bertil", "Corinna", "Dmitri", "Elvira", "Fabian", "Gisela", "Hektor",
               "Isolde", "Jarek", "Klara", "Lorenz", "Malin", "Nestor", "Odile", "Piet",
               "Quirin", "Ronja", "Sepp", "Tilda", "Ulrik", "Valeska", "Wendel", "Yrsa")
COMPANY_ENDS = ("Dynamics", "Systems", "Industries", "Defence", "Motors", "Engineering",
                "Technologies", "Works")
INSTITUTE_FORMS = ("{stem} Institute for Security Studies", "{stem} Centre for Public Policy",
                   "{stem} Foundation", "Institute of {region} Affairs")
OUTLET_STEMS = ("Kestrel", "Larkspur", "Thornfield", "Ashcombe", "Brightwater", "Fernhill",
                "Holloway", "Marlowe", "Redcliff", "Stonebridge", "Wexley", "Calder",
                "Ravensworth", "Elmstead", "Oakhurst", "Blackmoor", "Greywater", "Northmere",
                "Lindenvale", "Harrowby", "Quillon", "Saltmarsh", "Windrow", "Coldharbour",
                "Amberly", "Halcyon", "Juniper", "Merrow", "Pennant", "Tidewell")
OUTLET_FORMS = {
    "wire": ("{stem} Wire", "{stem} Press Agency", "{stem} News Service"),
    "public_broadcaster": ("{stem} Public Radio", "{stem} Broadcasting Corporation",
                           "Radio {stem}"),
    "state_controlled": ("{stem} International", "Voice of {stem}", "{stem} Today"),
    "private": ("The {stem} Courier", "The {stem} Gazette", "The {stem} Chronicle",
                "The {stem} Herald",
                "The Daily {stem}", "The {stem} Standard", "The {stem} Examiner",
                "The {stem} Post"),
    "party_press": ("{stem} Workers' Voice", "The {stem} Banner", "People's {stem}"),
    "official_source": ("{stem} Government Press Office", "{stem} Newsroom",
                        "{stem} Official Bulletin"),
}
OUTLET_FORMS_DE = ("{stem}er Tageblatt", "{stem}er Rundschau", "Neue {stem}er Zeitung",
                   "{stem}er Bote",
                   "{stem}er Allgemeine")
OUTLET_FORMS_FR = ("Le Courrier de {stem}", "La Gazette de {stem}", "Le Journal de {stem}",
                   "La Dépêche de {stem}", "Le Petit {stem}")
COUNTRIES_BY_LANG = {"en": ("GB", "IE", "US", "CA", "AU", "NZ", "MT"), "de": ("DE", "AT", "CH"),
                     "fr": ("FR", "BE", "CH", "LU")}
BLOCS = {"wire": ("west", "nonaligned"), "public_broadcaster": ("west", "north", "nonaligned"),
         "state_controlled": ("east", "south"), "private": ("west", "north", "nonaligned"),
         "party_press": ("west", "nonaligned"), "official_source": ("west", "east")}
LEANINGS = {"wire": ("centre",), "public_broadcaster": ("centre", "centre-left"),
            "state_controlled": ("state",), "private": ("centre", "centre-right", "right",
                                                        "centre-left"),
            "party_press": ("left", "far-left"), "official_source": ("official",)}
FEED_PATHS = {"rss": ("/feeds/world.rss", "/rss/all.xml", "/feed/", "/news/rss.xml",
                      "/rss/latest.xml"),
              "atom": ("/news/atom.xml", "/atom.xml", "/feeds/atom.xml", "/atom/all.xml")}
SPLIT_FEEDS = {"rss": ("/rss/markets.xml", "/rss/world.xml"),
               "atom": ("/atom/markets.xml", "/atom/world.xml")}
