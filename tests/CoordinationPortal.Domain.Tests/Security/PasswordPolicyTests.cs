using CoordinationPortal.Domain.Security;

namespace CoordinationPortal.Domain.Tests.Security;

public sealed class PasswordPolicyTests
{
    private static readonly HashSet<string> Common = ["password", "password1!", "password123!", "qwertyuiop", "admin"];

    private static IReadOnlyList<PasswordProblem> Check(string password) => PasswordPolicy.Check(password, Common.Contains);

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("elevenchars")]
    public void a_password_under_twelve_characters_is_too_short(string password) =>
        Assert.Contains(PasswordProblem.TooShort, Check(password));

    [Theory]
    [InlineData("Password123!")]
    [InlineData("PASSWORD123!")]
    [InlineData("Password2026!!")] // the word once the digits and symbols around it are cut
    [InlineData("!!Qwertyuiop!!")]
    [InlineData("Admin@2026-12345")]
    public void a_common_password_is_refused_whatever_its_case_and_decoration(string password) =>
        Assert.Equal([PasswordProblem.TooCommon], Check(password));

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("tiffin at the ghats by noon")]
    [InlineData("Admin-demo-2026")] // the demo accounts' passwords pass
    [InlineData("Lead-demo-2026")]
    [InlineData("twelve chars")]
    [InlineData("बारिश में भीगा आम का पेड़")]
    public void a_long_uncommon_password_needs_no_digit_capital_or_symbol(string password) =>
        Assert.Empty(Check(password));

    [Fact]
    public void length_counts_characters_as_people_see_them()
    {
        // Fewer than twelve Devanagari characters as read (grapheme clusters), though more than twelve UTF-16 units.
        Assert.Contains(PasswordProblem.TooShort, Check("नमस्ते नमस्ते"));
    }

    [Fact]
    public void only_the_letters_core_of_a_decorated_password_is_looked_up()
    {
        Assert.Equal(["password2026!", "password"], PasswordPolicy.Candidates("Password2026!"));
        Assert.Equal(["long passphrase"], PasswordPolicy.Candidates("Long passphrase"));
    }
}
