namespace CoordinationPortal.Domain.WorkingGroups;

/// <summary>The input checks the working-group deciders share. Each adds a <see cref="DomainError"/> naming the field.</summary>
internal static class Checks
{
    public const int MaxTitleLength = 300;
    public const int MaxTextLength = 4000;

    public static void Required(List<DomainError> errors, string? text, string field, int maxLength, string code = "WorkingGroup.TextRequired")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new DomainError(code, field));
        }
        else if (text.Trim().Length > maxLength)
        {
            errors.Add(new DomainError("WorkingGroup.TextTooLong", field));
        }
    }

    public static void Optional(List<DomainError> errors, string? text, string field, int maxLength)
    {
        if (text is not null && text.Trim().Length > maxLength)
        {
            errors.Add(new DomainError("WorkingGroup.TextTooLong", field));
        }
    }

    /// <summary>English and Hindi both, each within <paramref name="maxLength"/>; fields are named <c>field.en</c> and <c>field.hi</c>.</summary>
    public static void Bilingual(List<DomainError> errors, LocalizedText? text, string field, int maxLength)
    {
        Required(errors, text?.En, field + ".en", maxLength);
        Required(errors, text?.Hi, field + ".hi", maxLength);
    }

    public static LocalizedText Trim(LocalizedText text) => new(text.En.Trim(), text.Hi.Trim());

    public static string? TrimToNull(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Dates the portal accepts for due dates, deadlines and reviews: a sane calendar range.</summary>
    public static bool IsPlausible(DateOnly date) => date.Year is >= 2000 and <= 2100;
}
