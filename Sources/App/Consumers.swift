import API
import Payments
import Storage

/// Every reader of the event log, each with its own durable cursor (docs/architecture.md).
enum Consumers {
    static func all(_ services: Services) -> [EventConsumer] {
        [OrderActivity.consumer, Notifications.consumer(ids: services.ids), services.signals.consumer, services.surveys.consumer]
    }
}
