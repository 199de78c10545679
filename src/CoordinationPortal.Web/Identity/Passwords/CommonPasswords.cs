using System.Collections.Frozen;
using CoordinationPortal.Domain.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using CoordinationPortal.Web.Localization;

namespace CoordinationPortal.Web.Identity;

/// <summary>
/// The common passwords shipped with the portal (<c>Identity/Passwords/common-passwords.txt</c>, an embedded resource
/// written by <c>generate-common-passwords.py</c> beside it), in lower case.
/// </summary>
public sealed class CommonPasswords
{
    private const string Resource = "CoordinationPortal.Web.Identity.Passwords.common-passwords.txt";

    private readonly FrozenSet<string> _passwords;

    public CommonPasswords()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The embedded resource {Resource} is missing.");
        using var reader = new StreamReader(stream);
        var passwords = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim() is { Length: > 0 } entry)
            {
                passwords.Add(entry.ToLowerInvariant());
            }
        }

        _passwords = passwords.ToFrozenSet(StringComparer.Ordinal);
    }

    public int Count => _passwords.Count;

    public bool Contains(string lowerCase) => _passwords.Contains(lowerCase);
}

/// <summary>
/// Identity's password check, replaced by the portal's rule (<see cref="PasswordPolicy"/>): at least 12 characters and
/// not a common password, with no composition rules. Messages in the user's language.
/// </summary>
public sealed class PortalPasswordValidator(CommonPasswords common, IStringLocalizer<SharedResource> text) : IPasswordValidator<PortalUser>
{
    public const string TooCommonCode = "PasswordTooCommon";

    public Task<IdentityResult> ValidateAsync(UserManager<PortalUser> manager, PortalUser user, string? password)
    {
        var problems = PasswordPolicy.Check(password ?? "", common.Contains);
        if (problems.Count == 0)
        {
            return Task.FromResult(IdentityResult.Success);
        }

        var errors = problems.Select(p => p switch
        {
            PasswordProblem.TooShort => new IdentityError { Code = nameof(IdentityErrorDescriber.PasswordTooShort), Description = text["Security.Password.TooShort", PasswordPolicy.MinimumLength] },
            _ => new IdentityError { Code = TooCommonCode, Description = text["Security.Password.TooCommon"] },
        });
        return Task.FromResult(IdentityResult.Failed([.. errors]));
    }
}

/// <summary>Identity's other messages that reach users (the user-administration page), in the user's language.</summary>
public sealed class LocalizedIdentityErrors(IStringLocalizer<SharedResource> text) : IdentityErrorDescriber
{
    public override IdentityError DefaultError() => Error(nameof(DefaultError), text["Security.Identity.DefaultError"]);

    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), text["Security.Identity.DuplicateEmail", email]);

    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), text["Security.Identity.DuplicateEmail", userName]);

    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), text["Security.Identity.InvalidEmail", email ?? ""]);

    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), text["Security.Identity.InvalidEmail", userName ?? ""]);

    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), text["Security.Password.TooShort", length]);

    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure), text["Security.Identity.Concurrency"]);

    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };
}
