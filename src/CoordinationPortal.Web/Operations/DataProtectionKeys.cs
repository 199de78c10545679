using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CoordinationPortal.Web.Operations;

/// <summary>One ASP.NET Data Protection key, as XML (encrypted with the key-encryption certificate when one is set).</summary>
public sealed class DataProtectionKey
{
    public string Id { get; set; } = "";
    public string Xml { get; set; } = "";
}

/// <summary>
/// Keeps the Data Protection key ring in PostgreSQL (a Marten document per key), so every portal process signs
/// cookies and decrypts endpoint API keys with the same keys, and keys survive restarts and new machines.
/// </summary>
public sealed class MartenXmlRepository(IDocumentStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // The interface is synchronous; it is called when the key ring loads or rotates, not per request.
        using var session = store.QuerySession();
        var keys = session.Query<DataProtectionKey>().ToListAsync().GetAwaiter().GetResult();
        return keys.Select(k => XElement.Parse(k.Xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new DataProtectionKey { Id = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }
}

public static class DataProtectionKeys
{
    public const string CertificatePathSetting = "DataProtection:CertificatePath";
    public const string CertificatePasswordSetting = "DataProtection:CertificatePassword";

    /// <summary>
    /// The key ring lives in PostgreSQL, and its keys are themselves encrypted with a certificate kept outside the
    /// database (<c>DataProtection:CertificatePath</c>, a PKCS#12 file): a copy of the database alone cannot decrypt
    /// endpoint API keys. On the embedded default the portal makes that certificate once, beside its data directory.
    /// Without one on a configured database, keys are stored unencrypted and ASP.NET logs a warning at start-up.
    /// </summary>
    public static WebApplicationBuilder AddPortalDataProtection(this WebApplicationBuilder builder, PortalDatabaseInfo database)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("CoordinationPortal");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider>((o, sp) => o.XmlRepository = new MartenXmlRepository(sp.GetRequiredService<IDocumentStore>()));

        var path = builder.Configuration[CertificatePathSetting];
        var password = builder.Configuration[CertificatePasswordSetting];
        if (string.IsNullOrWhiteSpace(path) && database.EmbeddedDataDirectory is { Length: > 0 } embedded)
        {
            path = Path.Combine(embedded, "key-encryption.pfx");
            password = null;
            if (!File.Exists(path))
            {
                CreateCertificate(path);
            }
        }

        if (!string.IsNullOrWhiteSpace(path))
        {
            dataProtection.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(path, password));
        }

        return builder;
    }

    /// <summary>A self-signed RSA certificate for encrypting the key ring, readable by this account only.</summary>
    public static void CreateCertificate(string path)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=CoordinationPortal key encryption", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(50));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
