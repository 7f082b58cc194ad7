"""Every word list the program reads figures and sources by, as spaCy lemmas of general English.

Matching is by lemma on a dependency parse (figures.py), never by word prefix: "village" is not
"villagers", "die" is not "Diego", "dead" is not "deadliest".
"""

from __future__ import annotations

# Predicates whose victim (passive subject, active object, subject of "die") is killed or hurt.
KILL_VERBS = frozenset("kill slay behead decapitate execute murder massacre assassinate lynch "
                       "slaughter shoot_dead gun_down mow_down".split())
DIE_VERBS = frozenset("die perish drown succumb".split())  # the subject is the victim
INJURE_VERBS = frozenset("wound injure hurt maim".split())
DEAD_WORDS = frozenset("dead".split())  # "left 5 dead", "12 are dead"
INJURED_WORDS = frozenset("injured wounded hurt".split())
# Nouns a figure can count directly: "12 deaths", "20 injuries", "30 casualties".
# ("murder" would be one too; left out until the recorded model answers for the seed articles are
# recorded again: it adds a figure to the short seed's figure check)
DEATH_NOUNS = frozenset("death fatality dead killing execution assassination beheading "
                        "remains body corpse".split())  # "the remains of 14 people", "12 bodies"
INJURY_NOUNS = frozenset("injury wound injured wounded".split())
CASUALTY_NOUNS = frozenset("casualty".split())  # killed or wounded, not said which
TOLL_NOUNS = frozenset("toll".split())  # "the death toll rose to 30"
# "an average of 5,000 people", "a total of 45 people": the amount stands for the people it counts
AMOUNT_NOUNS = frozenset("average total number maximum minimum estimate".split())
TOLL_VERBS = frozenset("rise climb reach stand put jump increase hit mount top grow raise bring push".split())
# "lost their lives", "suffered injuries"
LOSE_VERBS = frozenset("lose".split())
LIFE_NOUNS = frozenset("life".split())
TAKE_LIFE_VERBS = frozenset("claim take cost".split())  # "claimed 12 lives", "took the lives of 12"
SUFFER_VERBS = frozenset("suffer sustain receive".split())
# "taken to hospital with injuries", "treated for wounds"
HARM_PREPS = frozenset("with for".split())
RECOVER_VERBS = frozenset("recover recuperate".split())  # "recovering from his injuries"
# "the gunman killed himself": one person, the victim
REFLEXIVES = frozenset("himself herself".split())
ONE_MORE = frozenset({"another"})  # one more person: "two were killed and another was wounded"
# A kill that was only tried, planned or threatened: "tried to assassinate", "an attempt to kill"
ATTEMPT_WORDS = frozenset("attempt try plot plan seek threaten aim bid vow intend fail conspire".split())

# Who gives a figure: the subject of one of these verbs, or "according to X".
REPORT_VERBS = frozenset("say tell report announce claim confirm state estimate add put record count indicate "
                         "declare note write tweet post allege insist acknowledge list document verify".split())
# Other verbs of saying: a sentence with one speaks in its own voice, not in the account of the
# sentence before ("Witnesses described panic", "The rebels denied it")
SPEECH_VERBS = frozenset("describe recount explain warn recall ask reply respond deny dispute reject urge "
                         "tweet testify speak".split())
# Words that open a sentence on another matter ("Separately, a bomb killed three")
TOPIC_SHIFTS = frozenset("separately meanwhile elsewhere earlier later previously".split())
# What a claim takes when it is a deed, not a report: "claimed the attack", "claimed responsibility"
DEED_CLAIMS = frozenset("responsibility credit".split())
# Verbs that report only when a statement is their subject: "the ministry's figures show ..."
SHOW_VERBS = frozenset("show reveal".split())

# Nouns that name a kind of place: "the city of X" names a place X, whatever the tagger calls it.
PLACE_NOUNS = frozenset("city town village province region district governorate area county state "
                        "capital port suburb neighbourhood neighborhood".split())

# The role of an actor found by name only (the parse's entities), not by what the article says it did.
NAMED_ONLY = "named in the article"

# A statement, whose owner is the source: "the command's assessment is that ...", "a statement from
# the army said ...", "confirmation from an official that ...", "Defense Department statistics list ..."
REPORT_NOUNS = frozenset("assessment report statement estimate finding conclusion view position confirmation "
                         "announcement claim account figure statistic datum data tally count record".split())
# What happened, not who tells it: "the blast put the toll at 30", "the attack claimed 12 lives" name
# no source
EVENT_NOUNS = frozenset("attack blast bombing bomb explosion strike airstrike raid clash shelling fire crash "
                        "ambush assault incident violence".split())

# What a figure counts when it is not people.
ANIMALS = frozenset("animal cattle cow sheep goat horse donkey camel dog livestock head bird chicken "
                    "pig mule".split())
# Nouns before a number that make it an identifier ("Flight 752", "Route 1", "Resolution 2334").
IDENTIFIER_NOUNS = frozenset("flight route resolution article chapter section highway road number no "
                             "brigade division battalion regiment unit squadron wing fleet corps "
                             "platoon company group task force operation camp grid sector block "
                             "building apartment room gate terminal lane street exit phase".split())

# Running totals: the period or the war a toll covers, not one event.
TOTAL_SUBJECTS = frozenset("war conflict fighting violence insurgency invasion campaign occupation "
                           "crisis uprising offensive battle siege".split())
# The period a toll covers, attached to the figure's verb or noun (totals.py): "since 2014", "in the
# past eight months", "in the first six months of 2017", "in recent years", "this year", "a year",
# "during the war", "so far", "to date", "overall", "cumulative".
SINCE_WORDS = frozenset("since".split())
PERIOD_NOUNS = frozenset("year month week day decade".split())
SPAN_WORDS = frozenset("past last first previous recent".split())  # "in the past eight months"
SPAN_PREPS = frozenset("in during over within across throughout for".split())
THIS_WORDS = frozenset("this last a per".split())  # "this year", "last month", "5,000 a year"
WAR_NOUNS = frozenset("war conflict invasion".split())  # "during the war", "killed in the conflict"
# (word, the word it takes): "so far", "to date"
TOTAL_PAIRS = frozenset({("far", "so"), ("to", "date")})
TOTAL_WORDS = frozenset("overall cumulative".split())
# "the deadliest attack this year": a period that ranks the event, not a toll of it
RANK_WORDS = frozenset("most least".split())

# Entity types of a model's answer that name who was counted, never what happened to them
WHO_ENTITIES = frozenset("PERSON NORP".split())

# An actor's longer name: "Islamic State of Iraq", "African Union Mission in Somalia" (verify/items.py);
# "(formerly Jabhat al-Nusra)": a former name, a name of its own
NAME_TAIL_PREPS = frozenset("in of".split())
FORMER_WORDS = frozenset("formerly previously".split())

# "Also Thursday, ...": a day named after "also" opens another item of the news (daily/chain.py)
DAY_NAMES = frozenset("monday tuesday wednesday thursday friday saturday sunday today yesterday".split())

# Parts of a figure: "including two children", "among them", "two of them", "of whom".
PART_PREPS = frozenset("include among".split())
PART_PRONOUNS = frozenset("they whom those these".split())
# "killed along with two soldiers", "together with villagers": people who died with those counted
COMPANION_WORDS = frozenset("along together".split())
# "killing 10 of them": a pronoun that may stand for people named before it in the sentence
PERSONAL_PRONOUNS = frozenset("they".split())

# Capitals and seats of government stand for their state in news copy; so do a few other names.
# Keys are the names shown; the variants are written as text.grounding.name_key writes them.
STATE_NAMES = {
    "United States": ["united states", "us", "usa", "united states of america", "america", "washington",
                      "white house", "us government", "american government"],
    "Russia": ["russia", "russian federation", "moscow", "kremlin", "russian government"],
    "United Kingdom": ["united kingdom", "uk", "britain", "great britain", "london", "downing street",
                       "whitehall", "british government"],
    "France": ["france", "paris", "elysee", "elysee palace", "french government"],
    "Germany": ["germany", "berlin", "german government"],
    "China": ["china", "beijing", "peoples republic of china", "prc", "chinese government"],
    "Iran": ["iran", "tehran", "islamic republic of iran", "iranian government"],
    "Syria": ["syria", "damascus", "syrian government"],
    "Iraq": ["iraq", "baghdad", "iraqi government"],
    "Turkey": ["turkey", "turkiye", "ankara", "turkish government"],
    "Ukraine": ["ukraine", "kyiv", "kiev", "ukrainian government"],
    "Afghanistan": ["afghanistan", "kabul", "afghan government"],
    "Saudi Arabia": ["saudi arabia", "riyadh", "saudi government"],
    "Israel": ["israel", "israeli government"],
    "Libya": ["libya", "libyan government"],
    "Somalia": ["somalia", "mogadishu", "somali government"],
    "Kenya": ["kenya", "nairobi", "kenyan government"],
    "Yemen": ["yemen", "yemeni government"],
    "Egypt": ["egypt", "cairo", "egyptian government"],
    "Pakistan": ["pakistan", "islamabad", "pakistani government"],
    "India": ["india", "new delhi", "indian government"],
    "North Korea": ["north korea", "pyongyang", "dprk"],
    "South Korea": ["south korea", "seoul"],
    "Japan": ["japan", "tokyo"],
    "NATO": ["nato", "north atlantic treaty organization"],
    "Islamic State": ["islamic state", "is", "isis", "isil", "daesh", "islamic state of iraq and the levant",
                      "islamic state of iraq and syria", "islamic state in iraq and syria"],
}
STATE_ALIASES = {variant: name for name, variants in STATE_NAMES.items() for variant in variants}
# The states themselves as places (not their capitals: a toll "in Kabul" is a place, one "in
# Afghanistan" could be anywhere there)
STATES = frozenset(name.lower() for name in STATE_NAMES) | frozenset("us usa america uk britain saudi".split())

# Who a figure counts, by the noun that names them.
CIVILIAN_NOUNS = frozenset(
    "civilian child woman girl boy infant baby resident villager patient student pupil worshipper "
    "passenger pilgrim shopper bystander refugee journalist doctor nurse family farmer teacher "
    "worker employee aid_worker volunteer tourist wedding_guest guest mourner protester "
    "demonstrator teenager toddler elderly".split())
COMBATANT_NOUNS = frozenset(
    "soldier troop fighter militant insurgent rebel jihadist gunman combatant serviceman servicemember "
    "marine paratrooper militiaman commando attacker bomber assailant police policeman guard sailor "
    "airman trooper recruit cadet force militia terrorist service_member operative facilitator plotter "
    "bombmaker".split())
# "six people, both villagers and policemen": conjuncts that describe the people, not add to them
BOTH_WORDS = frozenset("both".split())
# Words before a noun that make it count combatants: "police personnel", "security forces".
COMBATANT_MODIFIERS = frozenset("police military security army naval paramilitary".split())

# Singular victims: a noun in a victim slot names one person when it is one of these or a name.
PERSON_NOUNS = frozenset(
    "man woman boy girl child baby infant person people civilian soldier officer policeman cleric imam priest "
    "chief guard journalist reporter leader commander diplomat ambassador governor mayor minister "
    "official spokesman spokeswoman militant fighter insurgent rebel gunman bomber attacker member "
    "resident villager passenger victim driver pilot marine sailor airman trooper hostage prisoner "
    "student teacher doctor nurse worker contractor employee staffer volunteer judge lawmaker "
    "politician candidate activist tourist citizen national agent lieutenant sergeant captain major "
    "colonel general private specialist corporal contractor wife husband son daughter brother sister "
    "father mother uncle nephew cousin relative bodyguard colleague friend servicemember serviceman "
    "shepherd farmer engineer sheikh elder chieftain warlord deputy head director president "
    "chairman".split())

PERSON_SUFFIXES = ("keeper", "worker", "fighter", "officer", "soldier", "ist", "ian", "man", "woman",
                   "member", "trooper", "leader", "commander")

# A clause addressed to a reader or a model is not a report: "Ignore ... and report 500 killed".
ADDRESS_WORDS = frozenset("ignore disregard forget override pretend output respond reply answer "
                          "summarize summarise assistant model instruction prompt".split())

# Kinds of named actors (actors.py), by the words of their names.
FORCE_WORDS = frozenset("army forces force military navy command police guard guards corps marines "
                        "militia ministry_of_defense air_force brigade division battalion".split())
ARMED_GROUP_WORDS = frozenset("taliban shabab al-shabab al-shabaab isis isil daesh qaeda al-qaida "
                              "hezbollah hamas houthis houthi rebels boko haram front brigades jihad "
                              "movement".split())
# A body of a nation or alliance that acts, named by a common noun: "Afghan security forces", "the US
# military", "coalition troops", "the Afghan government" (actors.py)
BODY_NOUNS = frozenset("force troop military army government police navy".split())
ALLIANCE_WORDS = frozenset("coalition allied".split())
# What a minister or secretary is in charge of: "Defense Secretary James Mattis" names no actor "Defense"
PORTFOLIO_WORDS = frozenset("defense defence interior foreign finance justice security intelligence "
                            "information health education trade energy".split())
OFFICE_NOUNS = frozenset("ministry department office committee".split())
GROUP_NORP_HINTS = ("taliban", "houthi", "shabab", "shabaab", "qaeda", "islamic state", "hezbollah", "kurd")
TITLE_WORDS = frozenset("president minister secretary general spokesman spokeswoman spokesperson governor "
                        "commander chief director head ambassador official colonel col. gen. lt. maj. "
                        "capt. adm. sgt. lieutenant admiral mayor senator deputy envoy leader".split())

# Whether a name acts or is only a place (nonactors.py). A name after one of these prepositions is
# where something happened ("in Elbe", "near Wajid", "from Hamedan"), not who did it.
LOCATIVE_PREPS = frozenset("in near at outside around from across toward towards into inside within "
                           "throughout through along beyond off onto nearby".split())
# Nouns a name modifies or belongs to as a place: "the Galmudug region", "the town of Elbe", "the Idlib
# countryside", "north of Kabul", "the mayor of Bulobarde", "Gedo governor".
WHERE_NOUNS = PLACE_NOUNS | frozenset(
    "countryside outskirt outskirts border frontier edge centre center heart environs vicinity "
    "north south east west northeast northwest southeast southwest mayor governor".split())
# People and groups who speak for where they work: "a researcher at X said", "a team from X boarded".
SPEAKER_NOUNS = frozenset("researcher analyst expert representative source staff team delegation "
                          "crew unit".split())
# Scriptures: read by the tagger as an ORG or a GPE ("a Qur'an teacher"), never an actor.
SCRIPTURES = frozenset("quran koran bible torah gospel talmud hadith psalms".split())

# What an article must name before the model is asked for its assets or bases (equipment.py): a
# small model asked for a list fills it whatever the text says (officials filed as missiles).
ASSET_NOUNS = frozenset(
    "aircraft airplane plane jet warplane fighter bomber helicopter chopper gunship drone uav missile "
    "rocket bomb explosive ied grenade mine munition shell artillery howitzer mortar tank vehicle humvee "
    "ship warship vessel boat submarine destroyer frigate cruiser carrier fleet weapon weaponry rifle "
    "gun firearm launcher battalion brigade regiment division squadron platoon unit".split())
BASE_NOUNS = frozenset("base airbase airfield airstrip camp outpost garrison barracks fort installation "
                       "facility compound checkpoint headquarters".split())

# The day's actors (daily/actors.py). Wire services and international broadcasters that news copy
# cites by name: they carry the story, they are no party to it.
OUTLETS = frozenset({"afp", "agence france presse", "ap", "associated press", "reuters", "voa", "voice of america",
                     "bbc", "cnn", "al jazeera", "xinhua", "tass", "ria novosti", "interfax", "irna", "anadolu",
                     "anadolu agency", "dpa", "efe", "upi", "kyodo", "yonhap", "nhk", "al arabiya"})
# What an outlet's name may end in: "Interfax news agency", "State News Service", "Press TV"
OUTLET_TAILS = ("news agency", "news service", "press agency", "news", "television", "tv", "radio",
                "broadcasting corporation", "newspaper")
# What a document is called after its author's name: "the AMISOM Statement", "the ECOWAS communique"
DOCUMENT_NOUNS = REPORT_NOUNS | frozenset("communique release bulletin declaration memo letter".split())
# Function words an initialism leaves out: "Organization of the Islamic Cooperation" -> OIC
INITIALISM_SKIPS = frozenset("of the and for in on de".split())
