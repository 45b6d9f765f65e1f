//! Word lists for the generated workspace: names, companies, places.
//!
//! Everything here is fictional. A few names carry accents and apostrophes so
//! that clients see real-world UTF-8 and JSON escaping, not only ASCII.

/// Given names, including some with non-ASCII letters.
pub(crate) const FIRST_NAMES: &[&str] = &[
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
    "Mia", "Mateo", "Amelia", "Benjamin", "Harper", "Henry", "Evelyn", "Theodore", "Abigail",
    "Jack", "Emily", "Daniel", "Camila", "Samuel", "Priya", "Arjun", "Mei", "Wei", "Fatima",
    "Omar", "Aisha", "Kwame", "Chloé", "José", "Zoë", "Siobhán", "Björn", "Renée", "Nikhil",
    "Hana", "Diego", "Lucía", "Marcus", "Grace", "Ethan", "Nora", "Caleb", "Layla", "Owen", "Ruth",
    "Tomás", "Ingrid", "Kenji", "Yuki", "Sofía", "Malik", "Tessa", "Rafael", "Leah", "Gabriel",
];

/// Family names, including some with non-ASCII letters and apostrophes.
pub(crate) const LAST_NAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Patel",
    "Nguyễn",
    "Kim",
    "Chen",
    "O'Brien",
    "Müller",
    "Okafor",
    "Haddad",
    "Kowalski",
    "Silva",
    "Rossi",
    "Dubois",
    "Nakamura",
    "Singh",
    "Mensah",
    "Larsen",
    "Fitzgerald",
    "Delgado",
    "Novak",
    "Ivanova",
    "Sato",
    "Cohen",
    "McAllister",
    "Søndergaard",
    "Ramírez",
    "Abara",
    "Lindqvist",
    "Ferreira",
    "Quinn",
    "Bauer",
];

/// Fictional small-business names.
pub(crate) const COMPANIES: &[&str] = &[
    "Northwind Traders",
    "Bluebird Dental",
    "Summit Ridge Realty",
    "Harbor & Pine Legal",
    "Brightpath Logistics",
    "Cedar Lane Property Management",
    "Lumen Solar Co.",
    "Redwood Home Services",
    "Atlas Freight Partners",
    "Maple Street Bakery",
    "Clearwater Plumbing",
    "Vantage Insurance Group",
    "Kestrel Analytics",
    "Oakridge Veterinary Clinic",
    "Pioneer Roofing",
    "Silverline Auto Repair",
    "Golden Gate Movers",
    "Riverbend Chiropractic",
    "Copperleaf Salon",
    "Granite Peak Construction",
    "Sunny Side Daycare",
    "Evergreen Landscaping",
    "Tidewater Marine Supply",
    "Beacon Hill Tutoring",
    "Ironclad Security",
    "Bluewave Pools",
    "Fernwood Coffee Roasters",
    "Meridian Wealth Partners",
    "Crescent Moon Events",
    "Parkside Physical Therapy",
    "Quillfeather Books",
    "Hollow Creek Farms",
];

/// Job titles.
pub(crate) const ROLES: &[&str] = &[
    "Owner",
    "Founder & CEO",
    "Office Manager",
    "Operations Manager",
    "Sales",
    "Account Executive",
    "Head of Customer Success",
    "Marketing Director",
    "Bookkeeper",
    "Project Manager",
    "Practice Manager",
    "Realtor",
    "Dispatcher",
    "Procurement Lead",
    "General Counsel",
    "Front Desk Coordinator",
    "VP of Sales",
    "Controller",
    "IT Administrator",
    "Head of Growth",
    "Customer Support Lead",
    "Partner",
    "Paralegal",
    "Store Manager",
];

/// Street names for address custom fields.
pub(crate) const STREETS: &[&str] = &[
    "Main St",
    "Market St",
    "Oak Ave",
    "Maple Dr",
    "Cedar Ln",
    "Pine St",
    "Elm St",
    "Washington Blvd",
    "Lakeview Rd",
    "Sunset Blvd",
    "Broadway",
    "Mission St",
    "Park Ave",
    "Highland Ave",
    "River Rd",
    "Hillcrest Dr",
    "2nd St",
    "Valencia St",
];

/// City, state, ZIP prefix and area code, so addresses and phones agree.
pub(crate) const CITIES: &[(&str, &str, &str, u32)] = &[
    ("San Francisco", "CA", "941", 415),
    ("Los Angeles", "CA", "900", 213),
    ("Seattle", "WA", "981", 206),
    ("Portland", "OR", "972", 503),
    ("Denver", "CO", "802", 303),
    ("Austin", "TX", "787", 512),
    ("Chicago", "IL", "606", 312),
    ("Boston", "MA", "021", 617),
    ("New York", "NY", "100", 212),
    ("Brooklyn", "NY", "112", 718),
    ("Atlanta", "GA", "303", 404),
    ("Miami", "FL", "331", 305),
    ("Nashville", "TN", "372", 615),
    ("Phoenix", "AZ", "850", 602),
    ("Minneapolis", "MN", "554", 612),
    ("Raleigh", "NC", "276", 919),
];

/// Options of the multi-select custom field.
pub(crate) const INTERESTS: &[&str] = &[
    "Shared phone numbers",
    "Call routing",
    "SMS campaigns",
    "Integrations",
    "Analytics",
    "Call recording",
    "Auto-replies",
    "Enterprise plan",
];

/// People who manage accounts (the string custom field).
pub(crate) const ACCOUNT_MANAGERS: &[&str] = &[
    "Dana Whitfield",
    "Marco Bellini",
    "Keisha Grant",
    "Sam Okoro",
    "Lena Fischer",
    "Unassigned",
];

/// Free email providers for personal addresses.
pub(crate) const MAIL_PROVIDERS: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "icloud.com",
    "yahoo.com",
    "proton.me",
];

/// Labels used for the first email of a contact.
pub(crate) const WORK_EMAIL_LABELS: &[&str] = &["company email", "work", "billing"];

/// Labels used for the second email of a contact.
pub(crate) const OTHER_EMAIL_LABELS: &[&str] = &["personal email", "home", "other"];

/// Labels used for the first phone number of a contact.
pub(crate) const WORK_PHONE_LABELS: &[&str] = &["company phone", "work", "office"];

/// Labels used for the second phone number of a contact.
pub(crate) const OTHER_PHONE_LABELS: &[&str] = &["mobile", "home", "other"];

/// Lower-cases a name and folds the accents used above to ASCII, dropping
/// anything else that cannot appear in an email local part.
pub(crate) fn ascii_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' | 'ễ' => 'e',
            'í' | 'ì' | 'ï' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'ø' => 'o',
            'ú' | 'ù' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() => c,
            _ => continue,
        };
        out.push(folded);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(ascii_slug("Nguyễn"), "nguyen");
        assert_eq!(ascii_slug("O'Brien"), "obrien");
        assert_eq!(ascii_slug("Søndergaard"), "sondergaard");
        for name in FIRST_NAMES.iter().chain(LAST_NAMES).chain(COMPANIES) {
            let slug = ascii_slug(name);
            assert!(!slug.is_empty() && slug.is_ascii(), "{name} -> {slug}");
        }
    }
}
