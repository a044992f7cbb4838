import Accounts
import Catalog
import Core
import Payments
import Storage
import Trust

extension TeamService {
    /// Completes a team whose last place was just taken, inside the joining transaction: each member gets a paid
    /// order of one unit at the team price (their hold becomes the payment), a `team.updated` event and an inbox item.
    func complete(_ teamID: String, now: Int64, in db: any Transaction) throws {
        guard try TeamStore.finish(teamID, as: .completed, now: now, in: db), let team = try TeamStore.team(teamID, in: db),
              let product = try ProductStore.product(team.productID, in: db)
        else { return }
        for member in try TeamStore.memberAddresses(of: teamID, in: db) {
            // The address chosen at joining; one deleted since then leaves the order without it.
            let address = member.addressID.flatMap { try? AddressService.address($0, of: member.accountID, in: db) }
            // The units left stock when the team opened; the order takes none again.
            let item = Order.Item(
                line: 0, productID: product.id, title: product.title, quantity: 1, unitPriceCents: team.teamPriceCents,
                flash: false, refundedQuantity: 0
            )
            let order = try orders.placeOrder(
                capturingHold: teamID, for: member.accountID, items: [item], address: address, now: now, in: db
            )
            try TeamStore.setOrder(order.id, of: member.accountID, in: teamID, in: db)
        }
        try Scheduler.cancel(Self.expiryJob, key: teamID, in: db)
        let completed = try TeamStore.team(teamID, in: db)!
        try publish(completed, now: now, in: db)
        try notify(completed, now: now, in: db)
    }

    /// The scheduler's handler at the end of a team's window: a team still forming fails, every member's hold is
    /// released (a `release` line) and the reserved units go back to stock. A completed team is left alone.
    public func expire(_ teamID: String, now: Int64, in db: any Transaction) throws {
        guard let team = try TeamStore.team(teamID, in: db), team.status == .forming else { return }
        guard now >= team.expiresAt else {
            try Scheduler.schedule(Self.expiryJob, key: teamID, at: team.expiresAt, in: db)
            return
        }
        guard try TeamStore.finish(teamID, as: .failed, now: now, in: db) else { return }
        for member in team.members {
            try Escrow.release(reference: teamID, of: member.accountID, ids: ids, now: now, in: db)
        }
        try ProductStore.returnStock(team.productID, quantity: team.teamSize, now: now, in: db)
        let failed = try TeamStore.team(teamID, in: db)!
        try publish(failed, now: now, in: db)
        try notify(failed, now: now, in: db)
    }

    /// `team.updated` with the Team as each member sees it (their own order only), on their account streams.
    func publish(_ team: Team, now: Int64, in db: any Transaction) throws {
        for member in team.members {
            try EventLog.append(
                Self.updatedEvent, stream: EventLog.accountStream(member.accountID),
                data: team.json(viewer: member.accountID, seesAllOrders: false), now: now, in: db
            )
        }
    }

    /// The inbox item of a completed or failed team for every member (category `order`, API.md §24).
    func notify(_ team: Team, now: Int64, in db: any Transaction) throws {
        let price = Money.text(team.teamPriceCents)
        for member in team.members {
            let completed = team.status == .completed
            let (title, body) = completed
                ? (LocalizedText(en: "Your team is complete", de: "Ihr Team ist komplett"),
                   LocalizedText(
                       en: "Everyone joined in time: your order of \(price) is paid. We will tell you when it ships.",
                       de: "Alle waren rechtzeitig dabei: Ihre Bestellung über \(price) ist bezahlt. Wir sagen Ihnen Bescheid, sobald sie verschickt wird."
                   ))
                : (LocalizedText(en: "Your team did not fill up", de: "Ihr Team ist nicht zustande gekommen"),
                   LocalizedText(
                       en: "Not enough people joined in time. The \(price) we held are back in your wallet.",
                       de: "Es sind nicht rechtzeitig genug Leute beigetreten. Die zurückgehaltenen \(price) sind wieder in Ihrer Geldbörse."
                   ))
            var data: [(String, JSON)] = [("team_id", .string(team.id))]
            if let order = member.orderID { data.append(("order_id", .string(order))) }
            _ = try SendPath.send(
                OutgoingMessage(
                    accountID: member.accountID, category: .order, rule: completed ? "team_completed" : "team_failed",
                    title: title, body: body, link: "/v1/teams/\(team.id)", data: .object(data)
                ),
                ids: ids, now: now, in: db
            )
        }
    }

    /// Erasure (API.md §24): the copies of the account's first name in the `team.updated` events of every teammate's
    /// stream (its own included) become the name the account has now, inside the erasing transaction.
    public static func erase(_ accountID: String, in db: any Transaction) throws {
        let name = Names.firstName(try AccountService.displayName(of: accountID, in: db) ?? "")
        for teammate in try TeamStore.teammates(of: accountID, in: db) {
            try EventLog.rewrite(stream: EventLog.accountStream(teammate), in: db) { event in
                guard event.name == updatedEvent, case let .object(fields) = event.data,
                      case let .array(members)? = event.data["members"],
                      members.contains(where: { $0["account_id"]?.stringValue == accountID })
                else { return nil }
                let renamed = members.map { member -> JSON in
                    guard member["account_id"]?.stringValue == accountID, case let .object(parts) = member else { return member }
                    return .object(parts.map { $0.0 == "display_name" ? ($0.0, .string(name)) : $0 })
                }
                return .object(fields.map { $0.0 == "members" ? ($0.0, .array(renamed)) : $0 })
            }
        }
    }
}
