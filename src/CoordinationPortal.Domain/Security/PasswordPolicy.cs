namespace CoordinationPortal.Domain.Security;

/// <summary>Why a new password is refused.</summary>
public enum PasswordProblem
{
    TooShort,
    TooCommon,
}

/// <summary>
/// The portal's password rule: long enough, and not one of the passwords attackers try first. No composition rules
/// (required digits, capitals or symbols): they push people to <c>Password1!</c> and make passphrases harder, and length
/// is what resists guessing.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;

    /// <summary>
    /// The problems with <paramref name="password"/>. <paramref name="isCommon"/> answers for a lower-case candidate;
    /// the password is tried as typed and without the digits and symbols around its letters, so <c>Password2026!</c>
    /// counts as <c>password</c>.
    /// </summary>
    public static IReadOnlyList<PasswordProblem> Check(string password, Func<string, bool> isCommon)
    {
        ArgumentNullException.ThrowIfNull(isCommon);
        var problems = new List<PasswordProblem>();
        // Counted in text elements, so a Hindi passphrase is measured the way people see it, not in UTF-16 units.
        if (new System.Globalization.StringInfo(password ?? "").LengthInTextElements < MinimumLength)
        {
            problems.Add(PasswordProblem.TooShort);
        }

        if (!string.IsNullOrEmpty(password) && Candidates(password).Any(isCommon))
        {
            problems.Add(PasswordProblem.TooCommon);
        }

        return problems;
    }

    /// <summary>The password in lower case, then its core: the letters left once leading and trailing non-letters are cut.</summary>
    public static IEnumerable<string> Candidates(string password)
    {
        var lower = password.Trim().ToLowerInvariant();
        yield return lower;
        var start = 0;
        var end = lower.Length;
        while (start < end && !char.IsLetter(lower[start]))
        {
            start++;
        }

        while (end > start && !char.IsLetter(lower[end - 1]))
        {
            end--;
        }

        if (end - start > 0 && (start > 0 || end < lower.Length))
        {
            yield return lower[start..end];
        }
    }
}
