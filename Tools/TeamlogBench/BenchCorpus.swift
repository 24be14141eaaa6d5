import EventLog
import Workload

/// Deterministic marketplace-like events for the log benchmark: JSON payloads of 150–400 bytes
/// with realistic text and random ids and tokens, spread over many streams.
struct BenchCorpus {
    private var random: SeededRandom
    private var counter = 0

    init(seed: UInt64) { random = SeededRandom(seed: seed | 1) }

    private mutating func next() -> UInt64 { random.next() }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    private mutating func id(_ prefix: String) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var s = prefix
        var x = next()
        for _ in 0..<10 { s.append(alphabet[Int(x % 36)]); x /= 36 }
        return s
    }

    static let firstNames = ["Maria", "John", "Wei", "Priya", "Ahmed", "Olga", "Carlos", "Aisha", "Tomasz", "Yuki", "Fatima", "Liam"]
    static let lastNames = ["Garcia", "Smith", "Chen", "Patel", "Hassan", "Ivanova", "Silva", "Okafor", "Nowak", "Tanaka"]
    static let sentences = [
        "Thanks for reaching out about the project.", "I have five years of experience with Swift and server-side development.",
        "Could we schedule a call this week to discuss the milestones?", "Please find my availability for an interview below.",
        "The budget looks reasonable for the scope you described.", "I would be happy to join your team as an affiliated contractor.",
        "Let me know if you need any samples from my portfolio.", "We are looking for someone to help with the mobile app redesign.",
        "The first milestone is due at the end of the month.", "I can start on Monday and work twenty hours per week.",
        "Our team uses weekly status updates and a shared task board.", "Could you send me your user id so I can invite you to the team?",
    ]
    static let types = ["MessageSent", "InterviewRequested", "ProviderInvited", "JobPosted", "TeamMemberAdded", "PaymentRecorded"]

    /// The next event (stream, type, payload).
    mutating func nextEvent() -> ProposedEvent {
        counter += 1
        let type = pick(Self.types)
        let user = id("u-")
        var text = ""
        while text.utf8.count < 60 + Int(next() % 180) { text += (text.isEmpty ? "" : " ") + pick(Self.sentences) }
        let stream: String
        let json: String
        switch type {
        case "MessageSent":
            let thread = id("t-")
            stream = "thread-" + thread
            json = "{\"threadId\":\"\(thread)\",\"from\":\"\(user)\",\"to\":\"\(id("u-"))\",\"body\":\"\(text)\",\"attachments\":[]}"
        case "ProviderInvited":
            let invitation = id("inv-")
            stream = "invitation-" + invitation
            let name = pick(Self.firstNames).lowercased() + "." + pick(Self.lastNames).lowercased()
            json = "{\"invitationId\":\"\(invitation)\",\"invitedBy\":\"\(user)\",\"email\":\"\(name)@example.com\",\"token\":\"\(id("tok-"))\(id(""))\",\"note\":\"\(text)\"}"
        case "JobPosted":
            let job = id("job-")
            stream = "job-" + job
            json = "{\"jobId\":\"\(job)\",\"buyerId\":\"\(user)\",\"title\":\"\(pick(Self.sentences))\",\"visibility\":\"\(next() % 3 == 0 ? "private" : "public")\",\"description\":\"\(text)\"}"
        default:
            let entity = id("e-")
            stream = type.lowercased() + "-" + entity
            json = "{\"id\":\"\(entity)\",\"actor\":\"\(user)\",\"name\":\"\(pick(Self.firstNames)) \(pick(Self.lastNames))\",\"note\":\"\(text)\"}"
        }
        return ProposedEvent(stream: stream, type: type, payload: Array(json.utf8))
    }
}
