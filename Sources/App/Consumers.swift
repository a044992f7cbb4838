import API
import Payments
import Social
import Storage

/// Every reader of the event log, each with its own durable cursor (docs/architecture.md).
enum Consumers {
    static func all(_ services: Services) -> [EventConsumer] {
        [
            OrderActivity.consumer, Notifications.consumer(ids: services.ids), services.signals.consumer,
            services.surveys.consumer, services.recommendations.consumer, communityLive,
        ]
    }

    /// A host going live is announced in the communities it owns (API.md §20).
    static var communityLive: EventConsumer {
        EventConsumer(name: "community-live", names: ["live.started"]) { event, db in
            guard let host = event.data["host_id"]?.stringValue, let session = event.data["session_id"]?.stringValue else { return }
            try CommunityService.hostWentLive(host, session: session, now: event.createdAt, in: db)
        }
    }
}
