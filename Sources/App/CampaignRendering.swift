import API
import Core
import Coupons

/// The API's JSON of campaigns for the `basar campaign` CLI, which prints exactly what the API answers but does not
/// import `API` itself.
public enum CampaignRendering {
    /// The `Campaign` object of API.md §7.
    public static func json(_ campaign: Campaign) -> JSON { campaign.json }
}
