namespace CoordinationPortal.Web.Kernel;

/// <summary>The portal's calendar: "today" and "as of a date" are read in one configured time zone (India by default).</summary>
public sealed class PortalClock(TimeProvider time, IConfiguration configuration)
{
    private readonly TimeZoneInfo _zone = FindZone(configuration["Portal:TimeZone"] ?? "Asia/Kolkata");

    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), _zone).DateTime);

    public DateTimeOffset Now => TimeZoneInfo.ConvertTime(time.GetUtcNow(), _zone);

    public TimeSpan OffsetAt(DateOnly date) => _zone.GetUtcOffset(date.ToDateTime(TimeOnly.MinValue));

    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, _zone);

    private static TimeZoneInfo FindZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
