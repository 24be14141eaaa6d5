import Foundation
import Testing

/// The exact help text of the root command and of subcommands of each kind, at 80 columns (after
/// swift-argument-parser's `MathExampleTests`). The market subcommands' text comes from their commands'
/// declarations (`CommandForm`): a change to a declaration shows here.
@Suite struct HelpTests {
    /// `teamlog <arguments>` at 80 columns: its standard output, after checking it exited 0 and printed no error.
    static func help(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try CLI().run(arguments, withStore: false, environment: ["COLUMNS": "80"])
        #expect(result.status == 0, sourceLocation: sourceLocation)
        #expect(result.stderr == "", sourceLocation: sourceLocation)
        return result.stdout
    }

    @Test func theRootHelp() throws {
        #expect(try Self.help(["--help"]) == #"""
            OVERVIEW: An event-sourced freelance marketplace: commands, read models, audit
            trail.

            The store is --store DIR, else $TEAMLOG_STORE, else
            ~/.local/share/teamlog/store (created mode 0700).

            Exit codes: 0 success, 1 unexpected failure, 2 command rejected, 64 usage
            error, 65 damaged storage, 66 missing store or file, 74 I/O error, 75 busy
            store or view, conflict, or a sql time limit (retry). See README.md.

            Start with:  teamlog demo --store /tmp/teamlog-demo

            USAGE: teamlog <subcommand>

            OPTIONS:
              -h, --help              Show help information.

            SUBCOMMANDS:
              init                    Create an empty store (its directory readable by you
                                      only).
              exec                    Run commands from a JSON Lines file (- for standard
                                      input), one result line each.
              query                   Query a read model (caught up with the log first).
              sql                     Run one read-only SQL statement over the read models
                                      (writes are refused).
              log                     Show the audit trail: every event with who did it and
                                      when.
              replay                  Build the read models as of a time or position into a
                                      separate SQLite file (for audits).
              rebuild                 Rebuild read models from the whole log (all, or the
                                      views named).
              status                  Show the log head and each view's checkpoint, lag,
                                      schema version and fingerprint.
              verify                  Check every checksum and the hash chain; print the
                                      head hash.
              recover                 Check the log against every record of what was
                                      acknowledged; with --accept-loss, cut lost or damaged
                                      commits and record the loss.
              stats                   Show events, commits, bytes, compression ratio and
                                      counts per event type.
              demo                    Load a realistic history into a new store and print a
                                      tour of the views and the audit trail.
              keys                    Manage the API keys of `teamlog serve`: add (shown
                                      once), list, revoke.
              register-account        Open an account.
              invite-providers, invite-provider
                                      Invite email addresses to join the network as
                                      providers.
              accept-invitation       Sign up through an invitation's token.
              revoke-invitation       Withdraw a pending invitation.
              expire-invitation       Expire a pending invitation (the expiry sweep).
              post-job                Post a job, public or private.
              request-interview       Invite a provider to an interview, with a message.
              accept-interview        Accept an interview.
              decline-interview       Decline an interview.
              send-message            Send a user-to-user message (starts a thread; no
                                      attachments).
              reply-to-thread, reply  Reply in a thread.
              share-contact-details   Share contact details in a thread.
              create-team             Create a team (team room); the creator is its admin.
              invite-to-team          Invite a member to a team by email or by user id.
              accept-team-invitation  Accept a team invitation.
              leave-team              Leave a team.
              remove-team-member      Remove a member from a team.
              enable-marketplace-email
                                      Put your USERID@odesk.com address on your teams'
                                      mailing lists.
              hire                    Hire a provider for a job (opens an assignment).
              end-assignment          End an assignment.
              record-payment          Record a payment on an assignment.

              See 'teamlog help <subcommand>' for detailed help.
            """# + "\n")
    }

    /// How every market subcommand's help ends: the options besides the command's fields.
    static let marketOptions = #"""
        OPTIONS:
          --actor <user-id>       Who issues the command (a user id; `system` for the
                                  expiry sweep).
          --command-id <id>       Idempotency key: a command id already applied is not
                                  applied again.
          --correlation-id <id>   Groups the commits of one user action.
          --print-json            Print the command's JSON Lines form instead of
                                  running it.
          --store <dir>           The store directory.
                Default: $TEAMLOG_STORE, else ~/.local/share/teamlog/store.
          --lock-timeout <seconds>
                                  Seconds to wait for another process's write lock.
                                  (default: 5.0)
          -h, --help              Show help information.

        """# + "\n"

    @Test(arguments: CommandFormTests.subcommands)
    func everyMarketSubcommandEndsWithTheSameOptions(subcommand: String) throws {
        #expect(try Self.help([subcommand, "--help"]).hasSuffix("\n\n" + Self.marketOptions))
    }

    @Test func aCommandWithAChoiceField() throws {
        #expect(try Self.help(["register-account", "--help"]) == #"""
            OVERVIEW: Open an account.

            Who may run it: anyone.

            Its JSON form, for `teamlog exec` (--print-json prints it):
            "command":"RegisterAccount", "actor", the fields userId?, role, name, email (?
            optional, [] a list). See docs/EVENTS.md.

            Example:
              teamlog register-account --actor u-ann --user-id u-ann --role buyer \
                  --name 'Ann Lee' --email ann@example.com

            USAGE: teamlog register-account --actor <user-id> [--user-id <id>]
                   --role <role> --name <name> --email <email> [<options>]

            FIELDS:
              --user-id <id>          The new user's id (generated when absent).
              --role <role>           The account's role. (values: buyer, provider,
                                      providerCompany, affiliateManager, staffingManager)
              --name <name>           The user's display name.
              --email <email>         The user's email address (personal data).

            """# + "\n" + Self.marketOptions)
    }

    @Test func aCommandWithAListField() throws {
        #expect(try Self.help(["invite-providers", "--help"]) == #"""
            OVERVIEW: Invite email addresses to join the network as providers.

            Who may run it: a buyer (admin of --team-id), a provider (member of --team-id),
            an affiliate manager.

            Its JSON form, for `teamlog exec` (--print-json prints it):
            "command":"InviteProviders", "actor", the fields emails[], teamId?,
            invitationIds[]?, tokens[]? (? optional, [] a list). See docs/EVENTS.md.

            Example:
              teamlog invite-providers --actor u-amy --email raj@example.com \
                  --email lena@example.org

            USAGE: teamlog invite-providers --actor <user-id> --email <email> ...
                   [--team-id <id>] [--invitation-id <id> ...] [--token <token> ...]
                   [<options>]

            FIELDS:
              --email <email>         An address to invite (repeat for several, at most
                                      100).
              --team-id <id>          Team the new providers join on signup.
              --invitation-id <id>    One invitation id per address (generated when absent).
              --token <token>         One token secret per address (generated when absent).

            """# + "\n" + Self.marketOptions)
    }

    @Test func exec() throws {
        #expect(try Self.help(["exec", "--help"]) == #"""
            OVERVIEW: Run commands from a JSON Lines file (- for standard input), one
            result line each.

            Each line is one command in its JSON form (docs/EVENTS.md; `teamlog <command>
            --print-json` prints a command's), e.g.
              {"command":"CreateTeam","actor":"u-acme","teamId":"t-acme","name":"Acme"}
            Blank lines and lines starting with # are skipped. Each command is applied
            atomically on its own; commands are decided in order and written in batches
            (one durable write per batch); the next batch is read and decided while the
            previous one is being written. A result line is printed only once its command
            is on disk.

            For each command, one line on standard output:
              {"line":3,"ok":true,"positions":[12,14],"events":[...],"streams":[...]}
              {"line":4,"ok":false,"code":"notPermitted","error":"..."}
            The exit code is 0 when every command succeeded, else that of the first
            failure (2 for a rejection), and standard error names the first failure and
            counts them.

            Examples:
              teamlog exec story.jsonl
              cat story.jsonl | teamlog exec - --stop-on-error

            USAGE: teamlog exec <file> [--stop-on-error] [--batch-size <n>] [<options>]

            ARGUMENTS:
              <file>                  A JSON Lines file of commands, or - for standard
                                      input.

            OPTIONS:
              --store <dir>           The store directory.
                    Default: $TEAMLOG_STORE, else ~/.local/share/teamlog/store.
              --lock-timeout <seconds>
                                      Seconds to wait for another process's write lock.
                                      (default: 5.0)
              --stop-on-error         Stop at the first command that fails (commands are
                                      then written one at a time).
              --batch-size <n>        Commands per durable write. (default: 1000)
              -h, --help              Show help information.

            """# + "\n")
    }

    @Test func query() throws {
        #expect(try Self.help(["query", "--help"]) == #"""
            OVERVIEW: Query a read model (caught up with the log first).

            Views:
              inbox <user-id>
                  A user's Message Center: threads with unread counts, messages, shared
                  contacts.
                  e.g. teamlog query inbox u-sam
              team-roster <team-id>
                  A team's members (role, how and when they joined) and its mailing list.
                  e.g. teamlog query team-roster t-acme
              mailing-list <team-id>
                  The team mailing list: every address "email your team" reaches.
                  e.g. teamlog query mailing-list t-acme
              teams <user-id>
                  The teams a user belongs (or belonged) to.
                  e.g. teamlog query teams u-sam
              affiliate-roster <manager-id>
                  The providers on an affiliate manager's roster.
                  e.g. teamlog query affiliate-roster u-amy
              jobs
                  Jobs, all or those one user posted (--posted-by).
                  e.g. teamlog query jobs --posted-by u-acme
              interviews <job-id>
                  A job's interviews and their status.
                  e.g. teamlog query interviews j-recruit
              assignment <assignment-id>
                  An assignment, its parties (with the address to email each) and payments.
                  e.g. teamlog query assignment a-1
              users
                  Users, all or those of one role (--role).
                  e.g. teamlog query users --role provider
              invitations
                  Invitations (network and team), filtered by --invited-by, --kind
                  (network|team), --status.
                  e.g. teamlog query invitations --invited-by u-amy

            Formats: --format table (default), json, csv.

            USAGE: teamlog query <view> [<key>] [--format <format>] [--role <role>]
                   [--posted-by <user-id>] [--invited-by <user-id>] [--kind <kind>]
                   [--status <status>] [<options>]

            ARGUMENTS:
              <view>                  The view (listed below).
              <key>                   The view's key: a user, team, job, manager or
                                      assignment id.

            OPTIONS:
              --store <dir>           The store directory.
                    Default: $TEAMLOG_STORE, else ~/.local/share/teamlog/store.
              --lock-timeout <seconds>
                                      Seconds to wait for another process's write lock.
                                      (default: 5.0)
              --format <format>       Output format: table, json or csv. (values: table,
                                      json, csv; default: table)
              --role <role>           users: only this role.
              --posted-by <user-id>   jobs: only those posted by this user.
              --invited-by <user-id>  invitations: only those sent by this user.
              --kind <kind>           invitations: network or team.
              --status <status>       invitations: pending, accepted, revoked, expired.
              -h, --help              Show help information.

            """# + "\n")
    }

    /// `teamlog help <subcommand>` prints what `teamlog <subcommand> --help` does, for every subcommand.
    @Test(arguments: ["exec", "query"] + CommandFormTests.subcommands)
    func helpSubcommandIsTheSameText(subcommand: String) throws {
        #expect(try Self.help(["help", subcommand]) == (try Self.help([subcommand, "--help"])))
    }
}
