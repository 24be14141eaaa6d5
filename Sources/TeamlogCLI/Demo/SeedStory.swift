/// The two seed documents' workflows as JSON Lines commands, run by `teamlog demo` exactly as
/// `teamlog exec` would run them. Ids and tokens are fixed so the tour can name them.
enum SeedStory {
    static let lines: [String] = [
        // The cast.
        #"{"command":"RegisterAccount","actor":"u-amy","userId":"u-amy","role":"affiliateManager","name":"Amy Adams","email":"amy@agency.example"}"#,
        #"{"command":"RegisterAccount","actor":"u-acme","userId":"u-acme","role":"providerCompany","name":"Acme Dev Co","email":"ops@acme.example"}"#,
        #"{"command":"RegisterAccount","actor":"u-sam","userId":"u-sam","role":"provider","name":"Sam Okafor","email":"sam@example.net"}"#,
        #"{"command":"RegisterAccount","actor":"u-bob","userId":"u-bob","role":"buyer","name":"Bob Baker","email":"bob@shop.example"}"#,
        #"{"command":"RegisterAccount","actor":"u-sue","userId":"u-sue","role":"staffingManager","name":"Sue Park","email":"sue@shop.example"}"#,
        // An affiliate manager invites her providers; they sign up and land on her roster.
        #"{"command":"InviteProviders","actor":"u-amy","commandId":"seed-1","emails":["raj@example.com","lena@example.org"],"invitationIds":["inv-raj","inv-lena"],"tokens":["k1","k2"]}"#,
        #"{"command":"AcceptInvitation","actor":"anonymous","token":"inv-raj.k1","name":"Raj Patel","userId":"u-raj"}"#,
        #"{"command":"AcceptInvitation","actor":"anonymous","token":"inv-lena.k2","name":"Lena Novak","userId":"u-lena"}"#,
        // A provider company recruits an affiliated contractor: a private job, an interview, a reply, a team invitation by user id.
        #"{"command":"PostJob","actor":"u-acme","jobId":"j-recruit","title":"Affiliated contractors wanted","description":"Join Acme's bench of Swift developers.","visibility":"private","purpose":"affiliateRecruitment"}"#,
        #"{"command":"RequestInterview","actor":"u-acme","jobId":"j-recruit","providerId":"u-sam","message":"Hi Sam, we liked your profile. Would you join Acme as an affiliated contractor?","interviewId":"iv-1","threadId":"th-1","messageId":"m-1"}"#,
        #"{"command":"ReplyToThread","actor":"u-sam","threadId":"th-1","body":"Happy to. My user id is u-sam.","messageId":"m-2"}"#,
        #"{"command":"AcceptInterview","actor":"u-sam","interviewId":"iv-1"}"#,
        #"{"command":"CreateTeam","actor":"u-acme","teamId":"t-acme","name":"Acme Contractors"}"#,
        #"{"command":"InviteToTeam","actor":"u-acme","teamId":"t-acme","userId":"u-sam","role":"affiliatedContractor","invitationId":"ti-1"}"#,
        #"{"command":"AcceptTeamInvitation","actor":"u-sam","teamId":"t-acme","invitationId":"ti-1"}"#,
        // A buyer invites a provider he worked with before, with his team room.
        #"{"command":"CreateTeam","actor":"u-bob","teamId":"t-bob","name":"Bob's Shop"}"#,
        #"{"command":"EnableMarketplaceEmail","actor":"u-bob"}"#,
        #"{"command":"InviteProviders","actor":"u-bob","emails":["kim@example.com"],"teamId":"t-bob","invitationIds":["inv-kim"],"tokens":["k3"]}"#,
        #"{"command":"AcceptInvitation","actor":"anonymous","token":"inv-kim.k3","name":"Kim Lee","userId":"u-kim"}"#,
        #"{"command":"SendMessage","actor":"u-bob","recipientId":"u-kim","subject":"Welcome to the team room","body":"Glad to have you here, Kim.","teamId":"t-bob","threadId":"th-2","messageId":"m-3"}"#,
        // Work: a job, a hire, a payment.
        #"{"command":"PostJob","actor":"u-bob","jobId":"j-site","title":"Shop website","description":"Rebuild the shop's site.","visibility":"public"}"#,
        #"{"command":"Hire","actor":"u-bob","jobId":"j-site","providerId":"u-kim","staffingManagerId":"u-sue","assignmentId":"a-1"}"#,
        #"{"command":"RecordPayment","actor":"u-bob","assignmentId":"a-1","amountCents":50000,"currency":"USD","paymentId":"pay-1"}"#,
    ]
}
