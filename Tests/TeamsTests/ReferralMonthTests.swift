import Core
import Foundation
@testable import Teams
import Testing

/// The pure rules under the referral cap and the share codes.
@Suite("Referral months and share codes")
struct ReferralMonthTests {
    @Test("a calendar month in the deployment's time zone (Europe/Berlin): UTC evenings of the last day count next month",
          .enabled(if: CalendarDay.timeZone.identifier == "Europe/Berlin", "the default deployment zone"), arguments: [
              ("2026-12-31T22:59:59Z", "2026-12"), ("2026-12-31T23:00:00Z", "2027-01"),
              ("2027-03-31T21:59:59Z", "2027-03"), ("2027-03-31T22:00:00Z", "2027-04"),
          ])
    func month(_ moment: String, _ expected: String) throws {
        let seconds = try #require(Timestamp.parse(moment)).epochSeconds
        #expect(ReferralProgram.month(of: seconds) == expected)
    }

    @Test("share codes: 10 characters without look-alikes, different each time")
    func codes() {
        let codes = (0..<200).map { _ in ShareService.newCode() }
        #expect(Set(codes).count == 200)
        #expect(codes.allSatisfy { $0.count == 10 && !$0.contains(where: Set("01OI").contains) })
        #expect(ShareService.normalize("k7m2qx9pra") == "K7M2QX9PRA")
    }
}
