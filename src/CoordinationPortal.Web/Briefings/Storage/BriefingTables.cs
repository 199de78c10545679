using Marten;
using Weasel.Postgresql.Tables;

namespace CoordinationPortal.Web.Briefings.Storage;

/// <summary>
/// The briefing cache, in schema <c>briefings</c>: one row per key (target, data version, template version, origin),
/// pending until its job has printed it, then holding the PDF. A table rather than Marten documents because a PDF is
/// a few hundred kilobytes of bytes, not JSON. Declared as an extended schema object, so start-up creates it.
/// </summary>
public static class BriefingTables
{
    public const string Schema = "briefings";

    public static StoreOptions AddTo(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Storage.ExtendedSchemaObjects.Add(Files());
        return options;
    }

    public static Table Files()
    {
        var table = new Table($"{Schema}.files") { PrimaryKeyName = "files_pkey" };
        table.AddColumn("key", "text").AsPrimaryKey();
        table.AddColumn("scope", "text").NotNull();
        table.AddColumn("subject", "text").NotNull();
        table.AddColumn("lang", "text").NotNull();
        table.AddColumn("version_seq", "bigint").NotNull();
        table.AddColumn("measured_through", "date").NotNull();
        table.AddColumn("origin", "text").NotNull();
        table.AddColumn("state", "smallint").NotNull();
        table.AddColumn("requested_at", "timestamptz").NotNull();
        table.AddColumn("requested_by", "text").NotNull();
        table.AddColumn("attempts", "integer").NotNull();
        table.AddColumn("failed_at", "timestamptz");
        table.AddColumn("title", "text");
        table.AddColumn("etag", "text");
        table.AddColumn("pdf", "bytea");
        table.AddColumn("bytes", "integer");
        table.AddColumn("pages", "integer");
        table.AddColumn("generated_at", "timestamptz");
        table.AddColumn("generation_ms", "integer");
        // The recent list, and the purge of a target's older versions.
        table.Indexes.Add(new IndexDefinition("files_generated") { Columns = ["generated_at"], SortOrder = SortOrder.Desc, Predicate = "state = 1" });
        table.Indexes.Add(new IndexDefinition("files_target") { Columns = ["scope", "subject", "lang"] });
        return table;
    }
}
