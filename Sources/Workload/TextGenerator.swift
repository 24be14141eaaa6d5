/// Names, addresses and multi-sentence messages from fixed vocabularies and templates.
enum TextGenerator {
    static let firstNames = ["Maria", "Chen", "Aisha", "Lucas", "Priya", "Olga", "Kwame", "Sofia", "Mateo", "Yuki", "Fatima", "Noah",
                             "Ivan", "Amara", "Diego", "Elena", "Omar", "Hana", "Tomás", "Leila", "Arjun", "Zoë", "Sven", "Nadia"]
    static let lastNames = ["Lopez", "Wei", "Khan", "Silva", "Patel", "Ivanova", "Mensah", "Rossi", "Garcia", "Tanaka", "Haddad",
                            "Smith", "Petrov", "Okafor", "Fernández", "Novak", "Nasser", "Kim", "Almeida", "Jensen", "Müller", "Dubois"]
    static let domains = ["example.com", "example.org", "mail.example.net", "studio.example", "dev.example.io"]
    static let skills = ["Swift", "iOS", "React", "PostgreSQL", "data entry", "logo design", "copywriting", "Python", "QA testing",
                         "DevOps", "SEO", "video editing", "translation", "customer support", "Kotlin", "Rust", "accounting"]
    static let companies = ["Northwind Labs", "Bluefin Studio", "Atlas Outsourcing", "Kestrel Dev", "Harbor Creative", "Cobalt Works"]
    static let jobNouns = ["mobile app", "marketing site", "data pipeline", "support desk", "brand refresh", "API integration",
                           "product catalogue", "test suite", "monthly newsletter", "billing module"]

    static let openers = [
        "Hi {name}, thanks for getting back to me so quickly.",
        "Hello {name}, I hope your week is going well.",
        "Good morning {name}.",
        "Thanks for the update, {name}.",
        "Hi {name}, I had a look at your profile and your {skill} work stands out.",
    ]
    static let middles = [
        "The {noun} needs someone comfortable with {skill}, ideally for about {hours} hours a week.",
        "We would like to start on {day} and review progress every {day2}.",
        "I finished the first milestone of the {noun} and pushed the changes for review.",
        "Could you share an estimate for the {noun}, broken down by milestone?",
        "Our current rate for this kind of {skill} work is around {rate} dollars an hour.",
        "I ran into an issue with the {noun}: the staging environment rejects the new build.",
        "The client asked for a few changes to the {noun} before the demo on {day}.",
        "I can do a short call on {day} if that works for your time zone.",
        "Please track your hours in the team room so the staffing manager can approve them.",
        "I will send the files through the shared drive, since messages here cannot carry attachments.",
        "Let me know if the scope of the {noun} is clear or if you need more detail.",
        "We are also looking for one more person with {skill} experience, if you know someone.",
    ]
    static let closers = ["Best regards.", "Looking forward to hearing from you.", "Thanks again!", "Talk soon.", "Cheers."]
    static let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

    static func name(_ random: inout SeededRandom) -> String {
        random.pick(firstNames) + " " + random.pick(lastNames)
    }

    static func email(_ number: Int, _ random: inout SeededRandom) -> String {
        let first = random.pick(firstNames).lowercased().filter(\.isASCII)
        let last = random.pick(lastNames).lowercased().filter(\.isASCII)
        return "\(first).\(last).\(number)@\(random.pick(domains))"
    }

    /// Replaces each `{placeholder}` of a template in one pass.
    static func fill(_ template: String, _ random: inout SeededRandom) -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            switch rest[rest.index(after: open)..<close] {
            case "name": result += random.pick(firstNames)
            case "skill": result += random.pick(skills)
            case "noun": result += random.pick(jobNouns)
            case "hours": result += String(10 + random.below(30))
            case "rate": result += String(15 + random.below(80))
            default: result += random.pick(days)
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// A message of two to six sentences.
    static func message(_ random: inout SeededRandom) -> String {
        var sentences = [fill(random.pick(openers), &random)]
        for _ in 0..<(1 + random.below(4)) { sentences.append(fill(random.pick(middles), &random)) }
        if random.chance(0.6) { sentences.append(random.pick(closers)) }
        return sentences.joined(separator: " ")
    }

    static func jobTitle(_ random: inout SeededRandom) -> String {
        "\(random.pick(skills)) developer for a \(random.pick(jobNouns))"
    }
}

