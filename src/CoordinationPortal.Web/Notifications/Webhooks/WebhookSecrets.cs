using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace CoordinationPortal.Web.Notifications.Webhooks;

/// <summary>
/// Encrypts webhook secrets for storage, as <see cref="Probes.EndpointSecrets"/> does endpoint API keys (the same key ring
/// in PostgreSQL, protected by the key-encryption certificate), and decrypts them only to sign a delivery.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    public const int MinLength = 16;
    public const int MaxLength = 256;
    private readonly IDataProtector protector = provider.CreateProtector("CoordinationPortal.Webhooks.Secret.v1");

    public string Protect(string secret) => protector.Protect(secret);

    public string Reveal(WebhookSubscription subscription) => protector.Unprotect(subscription.ProtectedSecret);

    /// <summary>The secret before the last rotation while deliveries made at <paramref name="now"/> are still signed with it; otherwise null.</summary>
    public string? RevealPrevious(WebhookSubscription subscription, DateTimeOffset now) =>
        subscription.AcceptsPreviousSecret(now) ? protector.Unprotect(subscription.PreviousProtectedSecret!) : null;

    /// <summary>A new secret for an admin who did not choose one: 32 random bytes, hex, with a recognisable prefix.</summary>
    public static string Generate() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static bool IsAcceptable(string secret) =>
        secret.Length is >= MinLength and <= MaxLength && secret.All(c => c is > ' ' and <= '~');
}

/// <summary>
/// The signature a receiver checks: <c>sha256=</c> and the lowercase hex HMAC-SHA256, keyed with the secret's UTF-8 bytes,
/// of <c>{timestamp}.{body}</c>, the timestamp being the <c>X-Portal-Timestamp</c> header (Unix seconds). Signing the
/// timestamp with the body lets a receiver refuse old requests replayed later. <see cref="Header"/> always carries the
/// signature under the current secret; during a rotation's overlap <see cref="PreviousHeader"/> carries the same under
/// the previous secret, so a receiver that still holds only the previous one keeps accepting deliveries.
/// </summary>
public static class WebhookSignature
{
    public const string Prefix = "sha256=";
    public const string Header = "X-Portal-Signature";
    public const string PreviousHeader = "X-Portal-Signature-Previous";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }
}
