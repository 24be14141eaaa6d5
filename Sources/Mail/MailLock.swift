import Foundation
public import Application
import PosixFiles

/// One mail delivery at a time per store (`<store>/mail.lock`, an advisory lock the kernel drops with
/// the process): two would send the same emails twice.
public final class MailLock: @unchecked Sendable {
    private let file: PosixFile<MailLockFailure>

    private init(file: PosixFile<MailLockFailure>) {
        self.file = file
    }

    public static func take(storeDirectory: String) throws(ApplicationError) -> MailLock {
        let path = (storeDirectory as NSString).appendingPathComponent("mail.lock")
        do throws(MailLockFailure) {
            let file = try PosixFile<MailLockFailure>.open(path, flags: O_RDWR | O_CREAT | O_CLOEXEC)
            guard try file.lockExclusively(timeout: 0) else {
                throw MailLockFailure.busy
            }
            return MailLock(file: file)
        } catch {
            switch error {
            case .busy:
                throw ApplicationError(.temporary, "another mail delivery is running on this store (teamlog deliver, or teamlog serve with --smtp or --sendmail): let it finish, or stop it first")
            case let .io(operation, path, code):
                throw ApplicationError(.ioError, "cannot \(operation) \(path): \(String(cString: strerror(code))) (errno \(code))")
            }
        }
    }

    public func release() {
        file.unlock()
        file.close()
    }
}

enum MailLockFailure: FileFailure {
    case io(operation: String, path: String, errno: Int32)
    case busy
}
