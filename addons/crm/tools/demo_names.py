"""Names, places and words of the demo company's markets (tools/demo.py).

    GERMANY.company(rng)      # ("Elektro Hoffmann GmbH", "hoffmann-elektro", "Hoffmann")
    GERMANY.person_name(rng)  # ("Katrin Wagner", "katrin.wagner")       name, mailbox
    GERMANY.address(rng)    # ("Industriestraße 42", "Köln", "50667", "+49 221 ...")

Each market writes names its own way: German legal forms, Japanese company
and person names in Japanese then in English, Brazilian Portuguese, job
titles as buyers there write them. Everything is drawn with the generator's
random source, so that the same seed gives the same names.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

Pair = tuple[str, str]          # (as written there, in Latin letters)


@dataclass(frozen=True)
class Market:
    """How one country's companies, people and addresses look."""

    code: str                               # base.<code>
    currency: str
    team: str                               # a key of demo.TEAMS
    customers: int                          # generated customers
    companies: tuple[str, ...]              # patterns: {stem} {kind} {legal} ...
    stems: tuple[Pair, ...]
    kinds: tuple[Pair, ...]
    legal: tuple[str, ...]
    first_names: tuple[Pair, ...]
    last_names: tuple[Pair, ...]
    titles: tuple[str, ...]
    cities: tuple[tuple[str, str, str], ...]      # (city, zip, phone area)
    streets: tuple[str, ...]                      # with {n}
    phone: str                                    # with {area} and {number}
    port: str                                     # the port goods go to
    vat: str = ""                                 # with {digits}, EU tax ids
    person: str = "{first} {last}"

    def company(self, rng: random.Random) -> tuple[str, str, str]:
        """A company's name, the stem of its e-mail domain and what salespeople
        call it ("Hoffmann", "光星電機")."""
        stem, kind = rng.choice(self.stems), rng.choice(self.kinds)
        name = rng.choice(self.companies).format(
            stem=stem[0], kind=kind[0], legal=rng.choice(self.legal),
            stem_en=stem[1], kind_en=kind[1])
        short = f"{stem[0]}{kind[0]}" if stem[0] != stem[1] else stem[0]
        return " ".join(name.split()), slug(f"{stem[1]} {kind[1]}"), short

    def person_name(self, rng: random.Random) -> tuple[str, str]:
        """A person's name and their mailbox (first.last)."""
        first, last = rng.choice(self.first_names), rng.choice(self.last_names)
        name = self.person.format(first=first[0], last=last[0], first_en=first[1],
                                  last_en=last[1])
        return name, f"{slug(first[1], '')}.{slug(last[1], '')}"

    def address(self, rng: random.Random) -> tuple[str, str, str, str]:
        """(street, city, zip, phone)."""
        city, zip_code, area = rng.choice(self.cities)
        street = rng.choice(self.streets).format(n=rng.randint(2, 180),
                                                 m=rng.randint(1, 12), k=rng.randint(1, 30))
        number = f"{rng.randint(200, 989)} {rng.randint(1000, 9999)}"
        return street, city, zip_code, self.phone.format(area=area, number=number)

    def tax_id(self, rng: random.Random) -> str | bool:
        if not self.vat:
            return False
        return self.vat.format(digits="".join(str(rng.randint(0, 9)) for _ in range(9)))


def slug(text: str, separator: str = "-") -> str:
    """ASCII lower-case words joined by ``separator`` (e-mail addresses, domains)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return separator.join(words)


def _same(*words: str) -> tuple[Pair, ...]:
    return tuple((word, word) for word in words)


GERMANY = Market(
    code="de", currency="EUR", team="europe", customers=58,
    companies=("{stem} {kind} {legal}", "{kind} {stem} {legal}", "{stem}-{kind} {legal}"),
    stems=_same("Hoffmann", "Brandt", "Krüger", "Schäfer", "Wagner", "Becker", "Voss",
                "Lindner", "Hansa", "Weser", "Elbe", "Isar", "Alpen", "Nordstern",
                "Sonnenhof", "Leuchtturm", "Rheinland", "Spree", "Taunus", "Baltic",
                "Lichtblick", "Bergmann", "Kessler", "Falk"),
    kinds=_same("Lichttechnik", "Elektro", "Leuchten", "Beleuchtung", "Lichtsysteme",
                "Elektrogroßhandel", "Elektrotechnik", "Lichtplanung"),
    legal=("GmbH", "GmbH", "GmbH & Co. KG", "AG", "KG", "e.K."),
    first_names=_same("Anna", "Jonas", "Lukas", "Lena", "Felix", "Julia", "Maximilian",
                      "Katrin", "Stefan", "Sabine", "Thomas", "Claudia", "Markus",
                      "Nicole", "Andreas", "Petra", "Tobias", "Sarah", "Florian", "Miriam"),
    last_names=_same("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer",
                     "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein",
                     "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun",
                     "Hartmann", "Lange", "Werner", "Krause", "Lehmann"),
    titles=("Einkaufsleiter", "Head of Purchasing", "Category Manager Beleuchtung",
            "Geschäftsführer", "Technischer Einkäufer", "Projektleiter",
            "Produktmanager Licht", "Einkäuferin"),
    cities=(("Berlin", "10115", "30"), ("Hamburg", "20095", "40"), ("München", "80331", "89"),
            ("Köln", "50667", "221"), ("Frankfurt am Main", "60311", "69"),
            ("Stuttgart", "70173", "711"), ("Düsseldorf", "40213", "211"),
            ("Leipzig", "04109", "341"), ("Dortmund", "44135", "231"),
            ("Bremen", "28195", "421"), ("Dresden", "01067", "351"),
            ("Hannover", "30159", "511"), ("Nürnberg", "90402", "911")),
    streets=("Industriestraße {n}", "Hauptstraße {n}", "Gewerbering {n}", "Am Hafen {n}",
             "Siemensstraße {n}", "Robert-Bosch-Straße {n}", "Lindenallee {n}",
             "Carl-Zeiss-Ring {n}"),
    phone="+49 {area} {number}", port="Hamburg", vat="DE{digits}")

NETHERLANDS = Market(
    code="nl", currency="EUR", team="europe", customers=14,
    companies=("{stem} {kind} {legal}", "{kind} {stem} {legal}"),
    stems=_same("Van Dijk", "De Boer", "Holland", "Delta", "Noordzee", "Oranje", "Polder",
                "Zuidwest", "Maas", "Bakker", "Visser", "Dekker"),
    kinds=_same("Verlichting", "Lighting", "Elektrotechniek", "Installatietechniek",
                "Licht"),
    legal=("B.V.", "B.V.", "N.V."),
    first_names=_same("Pieter", "Sanne", "Daan", "Lotte", "Bram", "Eva", "Joost", "Anouk",
                      "Thijs", "Femke"),
    last_names=_same("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser",
                     "Smit", "Meijer", "de Graaf", "Mulder"),
    titles=("Inkoper", "Head of Procurement", "Directeur", "Projectmanager",
            "Category Manager Lighting"),
    cities=(("Amsterdam", "1012 AB", "20"), ("Rotterdam", "3011 AA", "10"),
            ("Utrecht", "3511 AB", "30"), ("Eindhoven", "5611 AA", "40"),
            ("Den Haag", "2511 AA", "70")),
    streets=("Industrieweg {n}", "Havenstraat {n}", "Kanaalweg {n}", "Stationsplein {n}"),
    phone="+31 {area} {number}", port="Rotterdam", vat="NL{digits}B01")

FRANCE = Market(
    code="fr", currency="EUR", team="europe", customers=12,
    companies=("{kind} {stem} {legal}", "{stem} {kind} {legal}"),
    stems=_same("Dupont", "Lumière du Sud", "Atlantique", "Rhône", "Bretagne", "Provence",
                "Lefebvre", "Moreau", "Alsace", "Normandie"),
    kinds=_same("Éclairage", "Électricité", "Distribution Électrique", "Lumière"),
    legal=("SAS", "SARL", "SA"),
    first_names=_same("Camille", "Julien", "Claire", "Nicolas", "Sophie", "Antoine",
                      "Élodie", "Mathieu"),
    last_names=_same("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
                     "Durand", "Leroy", "Moreau"),
    titles=("Responsable achats", "Acheteur", "Directeur commercial", "Chef de projet",
            "Gérant"),
    cities=(("Paris", "75008", "1"), ("Lyon", "69003", "4"), ("Marseille", "13002", "4"),
            ("Lille", "59000", "3"), ("Toulouse", "31000", "5"), ("Nantes", "44000", "2")),
    streets=("{n} rue de l'Industrie", "{n} avenue de la République", "{n} boulevard Voltaire",
             "ZI des Chanteraines, lot {n}"),
    phone="+33 {area} {number}", port="Le Havre", vat="FR{digits}")

POLAND = Market(
    code="pl", currency="EUR", team="europe", customers=9,
    companies=("{stem} {kind} {legal}", "{kind} {stem} {legal}"),
    stems=_same("Wisła", "Mazowsze", "Bałtyk", "Tatry", "Polska", "Kowalski", "Nowak"),
    kinds=_same("Oświetlenie", "Elektro", "Hurtownia Elektryczna", "Lighting"),
    legal=("Sp. z o.o.", "S.A.", "Sp. j."),
    first_names=_same("Marta", "Piotr", "Katarzyna", "Tomasz", "Agnieszka", "Paweł"),
    last_names=_same("Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski"),
    titles=("Kierownik zakupów", "Purchasing Manager", "Prezes Zarządu", "Handlowiec"),
    cities=(("Warszawa", "00-001", "22"), ("Kraków", "30-001", "12"),
            ("Gdańsk", "80-001", "58"), ("Poznań", "60-001", "61"),
            ("Wrocław", "50-001", "71")),
    streets=("ul. Przemysłowa {n}", "ul. Marszałkowska {n}", "al. Jerozolimskie {n}"),
    phone="+48 {area} {number}", port="Gdańsk", vat="PL{digits}")

USA = Market(
    code="us", currency="USD", team="americas", customers=70,
    companies=("{stem} {kind} {legal}", "{stem} {kind}", "{stem} {kind} {legal}"),
    stems=_same("Summit", "Lone Star", "Evergreen", "Keystone", "Liberty", "Harbor Point",
                "Midwest", "Granite", "Bluebonnet", "Golden State", "Desert Sun", "Cascade",
                "Patriot", "Empire", "Heartland", "Gulf Coast", "Rocky Mountain",
                "Atlantic", "Sierra", "Prairie", "Magnolia", "Redwood", "Beacon",
                "Northstar", "Bayshore", "Pioneer", "Frontier", "Crescent"),
    kinds=_same("Lighting Supply", "Electric Supply", "Lighting Solutions", "LED Distributors",
                "Electrical Wholesale", "Energy Solutions", "Lighting Group",
                "Lighting & Controls", "Facility Supply", "Electrical Contractors"),
    legal=("Inc.", "LLC", "Corp.", "Co."),
    first_names=_same("Michael", "Jennifer", "David", "Sarah", "James", "Emily", "Robert",
                      "Jessica", "Daniel", "Ashley", "Matthew", "Amanda", "Christopher",
                      "Megan", "Brian", "Rachel", "Kevin", "Lauren", "Jason", "Nicole"),
    last_names=_same("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
                     "Davis", "Rodriguez", "Martinez", "Anderson", "Taylor", "Thomas",
                     "Moore", "Jackson", "Lee", "Thompson", "White", "Harris", "Clark",
                     "Lewis", "Walker", "Hall", "Young"),
    titles=("Purchasing Manager", "VP of Purchasing", "Senior Buyer",
            "Category Manager, Lighting", "Owner", "Project Manager", "Operations Director",
            "Procurement Specialist", "Lighting Designer"),
    cities=(("Chicago, IL", "60607", "312"), ("Houston, TX", "77002", "713"),
            ("Atlanta, GA", "30303", "404"), ("Phoenix, AZ", "85004", "602"),
            ("Denver, CO", "80202", "303"), ("Seattle, WA", "98101", "206"),
            ("Miami, FL", "33131", "305"), ("Dallas, TX", "75201", "214"),
            ("Charlotte, NC", "28202", "704"), ("Columbus, OH", "43215", "614"),
            ("Nashville, TN", "37203", "615"), ("Minneapolis, MN", "55401", "612"),
            ("Newark, NJ", "07102", "973"), ("Los Angeles, CA", "90012", "213"),
            ("Portland, OR", "97204", "503"), ("Salt Lake City, UT", "84101", "801")),
    streets=("{n}0 Commerce Dr", "{n}5 Industrial Pkwy", "{n}00 Main St", "{n}1 Harbor Blvd",
             "{n}20 Distribution Way", "{n}8 Enterprise Ave"),
    phone="+1 {area} {number}", port="Los Angeles")

CANADA = Market(
    code="ca", currency="USD", team="americas", customers=10,
    companies=("{stem} {kind} {legal}",),
    stems=_same("Maple", "Northern", "Great White North", "Laurentian", "Pacific Rim",
                "Prairie Sky", "Algonquin", "True North"),
    kinds=_same("Lighting", "Electric Supply", "Illumination", "Electrical Distributors"),
    legal=("Ltd", "Inc.", "Corp."),
    first_names=_same("Olivia", "Liam", "Émilie", "Noah", "Chloé", "Ethan", "Sophie",
                      "William"),
    last_names=_same("Tremblay", "Gagnon", "Roy", "Smith", "Campbell", "MacDonald", "Wilson",
                     "Bouchard"),
    titles=("Purchasing Manager", "Buyer", "Operations Manager", "Acheteur", "President"),
    cities=(("Toronto, ON", "M5V 2T6", "416"), ("Montréal, QC", "H3B 1A7", "514"),
            ("Vancouver, BC", "V6B 1A1", "604"), ("Calgary, AB", "T2P 1J9", "403")),
    streets=("{n}0 King St W", "{n}5 Industrial Rd", "{n}00 Rue Sainte-Catherine"),
    phone="+1 {area} {number}", port="Vancouver")

BRAZIL = Market(
    code="br", currency="USD", team="americas", customers=40,
    companies=("{kind} {stem} {legal}", "{stem} {kind} {legal}"),
    stems=_same("Paulista", "Carioca", "Mineira", "Gaúcha", "Nordeste", "Horizonte",
                "Estrela", "Aurora", "Sol Nascente", "Atlântica", "Ipê", "Cruzeiro",
                "Pantanal", "Vale Verde", "Bandeirantes", "Serra Azul"),
    kinds=_same("Iluminação", "Materiais Elétricos", "Elétrica", "Comercial Elétrica",
                "Iluminação e Energia", "LED Soluções", "Distribuidora Elétrica"),
    legal=("Ltda.", "Ltda.", "S.A.", "EIRELI"),
    first_names=_same("Rafael", "Camila", "Lucas", "Juliana", "Gustavo", "Fernanda",
                      "Thiago", "Mariana", "Bruno", "Larissa", "Felipe", "Beatriz",
                      "Rodrigo", "Patrícia"),
    last_names=_same("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues",
                     "Almeida", "Nascimento", "Lima", "Araújo", "Ferreira", "Carvalho",
                     "Gomes", "Ribeiro"),
    titles=("Diretor Comercial", "Gerente de Compras", "Comprador",
            "Engenheiro de Projetos", "Sócio-Diretor", "Coordenadora de Suprimentos"),
    cities=(("São Paulo", "01310-100", "11"), ("Rio de Janeiro", "20040-020", "21"),
            ("Belo Horizonte", "30130-010", "31"), ("Curitiba", "80010-000", "41"),
            ("Porto Alegre", "90010-150", "51"), ("Recife", "50030-230", "81"),
            ("Salvador", "40020-000", "71"), ("Campinas", "13015-904", "19"),
            ("Fortaleza", "60060-170", "85"), ("Manaus", "69005-010", "92")),
    streets=("Av. Paulista, {n}0", "Rua da Consolação, {n}", "Rua Voluntários da Pátria, {n}",
             "Av. das Indústrias, {n}0", "Rodovia BR-116, km {n}"),
    phone="+55 {area} {number}", port="Santos")

MEXICO = Market(
    code="mx", currency="USD", team="americas", customers=8,
    companies=("{kind} {stem} {legal}",),
    stems=_same("del Norte", "Azteca", "del Bajío", "Monterrey", "Pacífico", "Maya"),
    kinds=_same("Iluminación", "Distribuidora Eléctrica", "Eléctrica", "Soluciones LED"),
    legal=("S.A. de C.V.", "S. de R.L. de C.V."),
    first_names=_same("Alejandro", "María José", "Carlos", "Gabriela", "Jorge", "Daniela"),
    last_names=_same("Hernández", "García", "López", "González", "Pérez", "Ramírez"),
    titles=("Gerente de Compras", "Director General", "Comprador", "Jefe de Proyectos"),
    cities=(("Ciudad de México", "06600", "55"), ("Monterrey", "64000", "81"),
            ("Guadalajara", "44100", "33"), ("Querétaro", "76000", "442")),
    streets=("Av. Reforma {n}", "Calle Industria {n}", "Blvd. Díaz Ordaz {n}"),
    phone="+52 {area} {number}", port="Manzanillo")

JAPAN = Market(
    code="jp", currency="JPY", team="asia", customers=36,
    companies=("株式会社{stem}{kind} {stem_en} {kind_en} Co., Ltd.",
               "{stem}{kind}株式会社 {stem_en} {kind_en} K.K."),
    stems=(("光星", "Kosei"), ("日照", "Nissho"), ("大和", "Yamato"), ("東光", "Toko"),
           ("明星", "Myojo"), ("北斗", "Hokuto"), ("富士見", "Fujimi"), ("旭光", "Kyokko"),
           ("中央", "Chuo"), ("三光", "Sanko"), ("協和", "Kyowa"), ("昭栄", "Shoei"),
           ("関西", "Kansai"), ("九州", "Kyushu"), ("北陸", "Hokuriku"), ("瀬戸", "Seto"),
           ("青葉", "Aoba"), ("若葉", "Wakaba"), ("新光", "Shinko"), ("白鳥", "Shiratori")),
    kinds=(("電機", "Denki"), ("照明", "Shomei"), ("電設", "Densetsu"), ("商事", "Shoji"),
           ("電材", "Denzai"), ("ライティング", "Lighting"), ("電気工業", "Denki Kogyo")),
    legal=("",),
    first_names=(("健一", "Kenichi"), ("由美", "Yumi"), ("浩", "Hiroshi"), ("直樹", "Naoki"),
                 ("恵子", "Keiko"), ("大輔", "Daisuke"), ("美穂", "Miho"), ("翔太", "Shota"),
                 ("陽子", "Yoko"), ("誠", "Makoto"), ("智子", "Tomoko"), ("拓也", "Takuya")),
    last_names=(("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"),
                ("田中", "Tanaka"), ("伊藤", "Ito"), ("渡辺", "Watanabe"),
                ("山本", "Yamamoto"), ("中村", "Nakamura"), ("小林", "Kobayashi"),
                ("加藤", "Kato"), ("吉田", "Yoshida"), ("山田", "Yamada"),
                ("松本", "Matsumoto"), ("井上", "Inoue")),
    titles=("購買部長 Purchasing Manager", "課長 Section Manager", "営業部 Sales Dept.",
            "資材調達 Procurement", "技術部 Engineering", "代表取締役 President"),
    cities=(("東京都", "105-0001", "3"), ("大阪市", "530-0001", "6"),
            ("名古屋市", "450-0002", "52"), ("横浜市", "220-0012", "45"),
            ("福岡市", "812-0011", "92"), ("札幌市", "060-0001", "11"),
            ("仙台市", "980-0021", "22"), ("広島市", "730-0011", "82"),
            ("神戸市", "650-0021", "78")),
    streets=("中央区本町 {m}-{k}-{n}", "港区芝浦 {m}-{k}-{n}", "北区梅田 {m}-{k}-{n}",
             "西区みなと {m}-{k}-{n}"),
    phone="+81 {area} {number}", port="Yokohama",
    person="{last}{first} {first_en} {last_en}")

EMIRATES = Market(
    code="ae", currency="USD", team="asia", customers=20,
    companies=("{stem} {kind} {legal}",),
    stems=_same("Al Falak", "Al Manara", "Al Reem", "Al Safa", "Al Barsha", "Emirates",
                "Gulf Star", "Desert Rose", "Falcon", "Palm", "Jebel", "Najm", "Al Waha",
                "Dana", "Marina"),
    kinds=_same("Lighting Trading", "Electrical Trading", "Electromechanical Contracting",
                "Lighting Solutions", "Building Materials Trading", "Electrical Supplies"),
    legal=("LLC", "L.L.C.", "FZE", "FZCO"),
    first_names=_same("Omar", "Ahmed", "Mohammed", "Khalid", "Faisal", "Yousef", "Hassan",
                      "Rashid", "Sara", "Fatima", "Layla", "Rajesh", "Anil", "Priya",
                      "Joseph"),
    last_names=_same("Al Mansoori", "Al Hashimi", "Haddad", "Khoury", "Saleh", "Nasser",
                     "Al Suwaidi", "Qureshi", "Menon", "Pillai", "D'Souza", "Fernandes"),
    titles=("General Manager", "Procurement Manager", "Projects Director", "MEP Engineer",
            "Purchase Officer", "Managing Partner"),
    cities=(("Dubai", "", "4"), ("Abu Dhabi", "", "2"), ("Sharjah", "", "6"),
            ("Ajman", "", "6"), ("Ras Al Khaimah", "", "7")),
    streets=("Al Quoz Industrial Area {m}, Warehouse {n}", "Sheikh Zayed Road, Office {n}0",
             "Jebel Ali Free Zone, LOB {k}", "Mussafah M-{k}, Plot {n}"),
    phone="+971 {area} {number}", port="Jebel Ali")

SAUDI_ARABIA = Market(
    code="sa", currency="USD", team="asia", customers=6,
    companies=("{stem} {kind} {legal}",),
    stems=_same("Al Riyadh", "Najd", "Al Khobar", "Red Sea", "Al Jazeera", "Tabuk"),
    kinds=_same("Lighting Co.", "Electrical Est.", "Trading Est.", "Contracting Co."),
    legal=("", "Ltd."),
    first_names=_same("Abdullah", "Fahad", "Nasser", "Saud", "Majed", "Turki"),
    last_names=_same("Al-Otaibi", "Al-Qahtani", "Al-Ghamdi", "Al-Zahrani", "Al-Shehri"),
    titles=("Procurement Manager", "General Manager", "Projects Manager", "Buyer"),
    cities=(("Riyadh", "11564", "11"), ("Jeddah", "21442", "12"), ("Dammam", "32241", "13")),
    streets=("King Fahd Road, Building {n}", "Second Industrial City, Street {k}"),
    phone="+966 {area} {number}", port="Dammam")

MARKETS = (GERMANY, NETHERLANDS, FRANCE, POLAND, USA, CANADA, BRAZIL, MEXICO, JAPAN,
           EMIRATES, SAUDI_ARABIA)
