import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The limits per client address on the open routes that cost more than a read (bcrypt, a new
/// session): how an address is found, how a budget refills, and what the routes answer once it is spent.
@Suite struct AddressLimitTests {
    private static let proxies = ["10.0.0.0/8", "2001:db8:ffff::1"].compactMap(AddressBlock.init)

    /// The key of a request from `peer` carrying `values` in the proxies' `header`.
    private static func key(
        _ peer: String?, _ values: [String] = [], in header: ProxyHeader = .xForwardedFor,
        trusting proxies: [AddressBlock] = Self.proxies
    ) -> String {
        let hops = header.hops(in: HTTPHeaders(values.map { (header.rawValue, $0) }))
        return ClientAddress.key(peer: peer, hops: hops, trustedProxies: proxies)
    }

    @Test func aForwardedAddressIsBelievedOnlyFromATrustedProxy() {
        // Straight from a client: what it writes in the header is ignored.
        #expect(Self.key("203.0.113.9", ["198.51.100.1"]) == "203.0.113.9")
        #expect(Self.key("203.0.113.9", trusting: []) == "203.0.113.9")
        // Through the operator's proxies: the right-most address that is not one of them.
        #expect(Self.key("10.1.2.3", ["198.51.100.1, 203.0.113.9, 10.9.9.9"]) == "203.0.113.9")
        #expect(Self.key("10.1.2.3", ["198.51.100.1", "203.0.113.9"]) == "203.0.113.9")
        // A proxy that says nothing stands for its clients.
        #expect(Self.key("10.1.2.3") == "10.1.2.3")
        #expect(Self.key("::ffff:10.1.2.3", ["::ffff:203.0.113.9"]) == "203.0.113.9")
        #expect(Self.key("2001:db8:ffff::1", ["203.0.113.9"]) == "203.0.113.9")
        #expect(Self.key("2001:db8:ffff::2", ["203.0.113.9"]) == "2001:db8:ffff:0::/64")
        #expect(Self.key(nil, ["203.0.113.9"]) == "inconnue")
        // A proxy that writes the client's port: one budget per client, not per connection.
        #expect(Self.key("10.1.2.3", ["203.0.113.9:51234"]) == "203.0.113.9")
        #expect(Self.key("10.1.2.3", ["[2001:db8:1:2::7]:443, 10.9.9.9:80"]) == "2001:db8:1:2::/64")
        // A bare IPv6 address is not cut at its colons.
        #expect(Self.key("10.1.2.3", ["2001:db8:1:2::7"]) == "2001:db8:1:2::/64")
    }

    @Test func theStandardForwardedHeaderIsReadWhenTheProxiesWriteIt() throws {
        func hops(_ values: String...) -> [String] { ProxyHeader.forwarded.hops(in: HTTPHeaders(values.map { ("Forwarded", $0) })) }
        // RFC 7239's own examples: quoted, bracketed IPv6 with its port, IPv4 with its port, other parameters.
        #expect(hops(#"for="_gazonk""#) == ["_gazonk"])
        #expect(hops(#"For="[2001:db8:cafe::17]:4711""#) == ["2001:db8:cafe::17"])
        #expect(hops("for=192.0.2.60;proto=http;by=203.0.113.43") == ["192.0.2.60"])
        #expect(hops("for=192.0.2.43, for=198.51.100.17") == ["192.0.2.43", "198.51.100.17"])
        #expect(hops(#"proto=https;for="192.0.2.43:47011""#, "for=unknown") == ["192.0.2.43", "unknown"])
        // An element without `for`: the hop is hidden, as `unknown` would say.
        #expect(hops("proto=https") == ["unknown"])

        // Through the operator's proxies, as with X-Forwarded-For.
        #expect(
            Self.key("10.1.2.3", [#"for=198.51.100.1, for="203.0.113.9:5000";proto=https, for=10.9.9.9"#], in: .forwarded) == "203.0.113.9")
        #expect(Self.key("10.1.2.3", [#"for="[2001:db8:1:2::7]""#], in: .forwarded) == "2001:db8:1:2::/64")
        #expect(Self.key("203.0.113.9", ["for=198.51.100.1"], in: .forwarded) == "203.0.113.9")
        // A client that leaves a quote open cannot swallow the hop its proxy appends after it.
        #expect(Self.key("10.1.2.3", [#"for="198.51.100.1, for=203.0.113.9"#], in: .forwarded) == "203.0.113.9")
        // The header the proxies do not write is never read: it is the client's alone.
        #expect(
            ClientAddress.key(
                peer: "10.1.2.3", hops: ProxyHeader.forwarded.hops(in: ["X-Forwarded-For": "198.51.100.1"]),
                trustedProxies: Self.proxies) == "10.1.2.3")

        #expect(AppSettings().proxyHeader == .xForwardedFor)
        #expect(try AppSettings.fromEnvironment(["PROXY_HEADER": "forwarded"]).proxyHeader == .forwarded)
        #expect(try AppSettings.fromEnvironment(["PROXY_HEADER": "X-Forwarded-For"]).proxyHeader == .xForwardedFor)
        #expect(throws: SettingsError.self) { try AppSettings.fromEnvironment(["PROXY_HEADER": "X-Real-IP"]) }
    }

    @Test func anIPv6ClientIsCountedByItsSlash64() {
        let first = Self.key("2001:db8:1:2:aaaa::1", trusting: [])
        let second = Self.key("2001:db8:1:2:bbbb:cccc:dddd:eeee", trusting: [])
        let neighbour = Self.key("2001:db8:1:3::1", trusting: [])
        #expect(first == "2001:db8:1:2::/64")
        #expect(second == first)
        #expect(neighbour != first)
    }

    @Test func blocksOfTrustedProxiesAreReadAsWritten() throws {
        let block = try #require(AddressBlock("192.168.4.0/22"))
        #expect(block.contains(try #require(ClientAddress.bytes(of: "192.168.7.255"))))
        #expect(!block.contains(try #require(ClientAddress.bytes(of: "192.168.8.0"))))
        #expect(!block.contains(try #require(ClientAddress.bytes(of: "fe80::1"))))
        for refused in ["192.168.4.0/33", "proxy.local", "10.0.0.1/", "::1/129", ""] { #expect(AddressBlock(refused) == nil) }

        let settings = try AppSettings.fromEnvironment(["TRUSTED_PROXIES": "10.0.0.0/8, ::1", "PASSWORD_ATTEMPTS_PER_MINUTE": "0"])
        #expect(settings.trustedProxies == [AddressBlock("10.0.0.0/8"), AddressBlock("::1")])
        #expect(settings.passwordAttemptsPerMinute == nil)
        #expect(AppSettings().passwordAttemptsPerMinute == 30)
        #expect(AppSettings().sessionsPerMinute == 60)
        #expect(try AppSettings.fromEnvironment(["SESSIONS_PER_MINUTE": "5"]).sessionsPerMinute == 5)
        #expect(throws: SettingsError.self) { try AppSettings.fromEnvironment(["TRUSTED_PROXIES": "10.0.0.0/8, mon-proxy"]) }
        #expect(throws: SettingsError.self) { try AppSettings.fromEnvironment(["PASSWORD_ATTEMPTS_PER_MINUTE": "-1"]) }
    }

    @Test func theBudgetRefillsEvenlyOverAMinute() throws {
        let limiter = RateLimiter(perMinute: 6)
        let start = testStart
        for _ in 1...6 { #expect(limiter.take("203.0.113.9", now: start) == nil) }
        let wait = try #require(limiter.take("203.0.113.9", now: start))
        #expect(abs(wait - 10) < 0.001)
        // Another address has its own budget.
        #expect(limiter.take("198.51.100.1", now: start) == nil)
        // One token every ten seconds; a refused request does not cost one.
        #expect(limiter.take("203.0.113.9", now: start.addingTimeInterval(9)) != nil)
        #expect(limiter.take("203.0.113.9", now: start.addingTimeInterval(10)) == nil)
        #expect(limiter.take("203.0.113.9", now: start.addingTimeInterval(10)) != nil)
        // An address quiet for a minute has its whole budget again, no more.
        let later = start.addingTimeInterval(200)
        for _ in 1...6 { #expect(limiter.take("203.0.113.9", now: later) == nil) }
        #expect(limiter.take("203.0.113.9", now: later) != nil)
    }

    @Test func aFullTableForgetsTheAddressesWhoseBudgetIsWholeFirst() {
        let limiter = RateLimiter(perMinute: 2, capacity: 3)
        let start = testStart
        #expect(limiter.take("a", now: start) == nil)
        #expect(limiter.take("b", now: start.addingTimeInterval(50)) == nil)
        #expect(limiter.take("b", now: start.addingTimeInterval(50)) == nil)
        #expect(limiter.take("c", now: start.addingTimeInterval(50)) == nil)
        // At capacity: "a" has refilled (30 s a token) and is forgotten; "b", still spent, is kept.
        #expect(limiter.take("d", now: start.addingTimeInterval(60)) == nil)
        #expect(limiter.count == 3)
        #expect(limiter.take("b", now: start.addingTimeInterval(60)) != nil)
    }

    @Test(arguments: TestDatabase.all)
    func signInsAndSignUpsShareTheBudgetAndASpentOneWritesNothing(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock, settings: { $0.passwordAttemptsPerMinute = 3 }) { app in
            let session = try await app.completedSession()
            for _ in 1...3 {
                let refused = try await app.send(
                    .POST, "/api/auth/login", object: ["email": "jeanne@example.fr", "password": "devine-0000"])
                #expect(refused.status == .unauthorized)
            }
            let login = try await app.send(.POST, "/api/auth/login", object: ["email": "jeanne@example.fr", "password": "devine-0000"])
            #expect(login.status == .tooManyRequests)
            #expect(login.errorCode == "TOO_MANY_REQUESTS")
            #expect(login.headers.first(name: "Retry-After") == "20")
            #expect(try login.failure().error == "Trop de tentatives depuis votre connexion : réessayez dans 20 secondes.")
            let signup = try await app.send(
                .POST, "/api/session-migration/migrate",
                object: ["session_token": session, "client_data": signupForm()])
            #expect(signup.status == .tooManyRequests)
            #expect(signup.errorCode == "TOO_MANY_REQUESTS")

            // Refused before anything was read or written: three failures counted, no client, session untouched.
            let throttle = try await LoginThrottle.query(on: app.db).first()
            #expect(throttle?.failures == 3)
            #expect(try await app.migrationRows().clients == 0)
            #expect(try await app.send(.GET, "/api/session-migration/can-migrate/\(session)").decode(CanMigrateDTO.self).canMigrate)
            // Other routes are not limited.
            #expect(try await app.send(.GET, "/api/simulator/questions").status == .ok)

            clock.advance(by: 20)
            _ = try await app.signUp(token: session)
        }
    }

    @Test(arguments: TestDatabase.all)
    func newSessionsHaveTheirOwnBudget(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(
            database, clock: clock,
            settings: {
                $0.sessionsPerMinute = 2
                $0.passwordAttemptsPerMinute = 1
            }
        ) { app in
            _ = try await app.newSession()
            _ = try await app.newSession()
            let refused = try await app.send(.POST, "/api/simulator/sessions")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorCode == "TOO_MANY_REQUESTS")
            #expect(refused.headers.first(name: "Retry-After") == "30")
            #expect(try refused.failure().error == "Trop de simulations ouvertes depuis votre connexion : réessayez dans 30 secondes.")
            #expect(try await TemporarySession.query(on: app.db).count() == 2)
            // The sign-in budget is another one.
            let login = try await app.send(.POST, "/api/auth/login", object: ["email": "jeanne@example.fr", "password": "devine-0000"])
            #expect(login.status == .unauthorized)

            clock.advance(by: 30)
            _ = try await app.newSession()
            #expect(try await TemporarySession.query(on: app.db).count() == 3)
        }
    }

    @Test
    func thePagesShareTheAPIsBudgetsAndAnswerWithAPage() async throws {
        try await withTestApp(
            .sqlite,
            settings: {
                $0.sessionsPerMinute = 2
                $0.passwordAttemptsPerMinute = 1
            }
        ) { app in
            // Given one session opened through the API and one through the page
            _ = try await app.newSession()
            let browser = TestBrowser(app)
            _ = try await browser.get("/")
            #expect(try await browser.post("/simulateur/commencer").status == .seeOther)

            // Then a third, by the page, is refused with a page, nothing written
            let refused = try await browser.post("/simulateur/recommencer")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.body.contains("<h1>Trop de demandes</h1>"))
            #expect(try await TemporarySession.query(on: app.db).count() == 2)

            // And the sign-in page counts in the password budget
            _ = try await browser.get("/connexion")
            #expect(try await browser.post("/connexion", [("email", "x@example.fr"), ("password", "devine-0000")]).status == .unauthorized)
            #expect(
                try await browser.post("/connexion", [("email", "x@example.fr"), ("password", "devine-0000")]).status == .tooManyRequests)
        }
    }

    @Test func theLimitCountsTheRealPeerAndTheTrustedProxysClients() async throws {
        /// Sign-ins from `forwarded` addresses, sent in `sent`, to a server whose proxies write `read`.
        func attempts(
            trusting proxies: [String], from forwarded: [String], sent: ProxyHeader = .xForwardedFor,
            read: ProxyHeader = .xForwardedFor
        ) async throws -> [HTTPResponseStatus] {
            var statuses: [HTTPResponseStatus] = []
            try await withTestApp(
                .sqlite,
                settings: {
                    $0.passwordAttemptsPerMinute = 1
                    $0.trustedProxies = proxies.compactMap(AddressBlock.init)
                    $0.proxyHeader = read
                }
            ) { app in
                let tester = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
                for address in forwarded {
                    let body = ByteBuffer(string: #"{"email": "jeanne@example.fr", "password": "devine-0000"}"#)
                    let headers: HTTPHeaders = [
                        "Content-Type": "application/json",
                        sent.rawValue: sent == .forwarded ? "for=\(address);proto=https" : address,
                    ]
                    statuses.append(try await tester.sendRequest(.POST, "/api/auth/login", headers: headers, body: body).status)
                }
            }
            return statuses
        }
        let addresses = ["203.0.113.1", "203.0.113.2", "203.0.113.1"]
        // The server's own proxy: one budget per client it forwards.
        #expect(try await attempts(trusting: ["127.0.0.1"], from: addresses) == [.unauthorized, .unauthorized, .tooManyRequests])
        #expect(
            try await attempts(trusting: ["127.0.0.1"], from: addresses, sent: .forwarded, read: .forwarded)
                == [.unauthorized, .unauthorized, .tooManyRequests])
        // No proxy configured: the header is the client's word, and the peer (127.0.0.1) is counted.
        #expect(try await attempts(trusting: [], from: addresses) == [.unauthorized, .tooManyRequests, .tooManyRequests])
        // The proxy writes the other header: the one sent is the client's word too.
        #expect(
            try await attempts(trusting: ["127.0.0.1"], from: addresses, sent: .xForwardedFor, read: .forwarded)
                == [.unauthorized, .tooManyRequests, .tooManyRequests])
        #expect(
            try await attempts(trusting: ["127.0.0.1"], from: addresses, sent: .forwarded, read: .xForwardedFor)
                == [.unauthorized, .tooManyRequests, .tooManyRequests])
    }
}
