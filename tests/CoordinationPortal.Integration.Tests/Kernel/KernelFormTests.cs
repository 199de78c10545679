using Bunit;
using CoordinationPortal.Web.Kernel.Forms;
using CoordinationPortal.Web.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Integration.Tests.Kernel;

/// <summary>The kernel's shared form pieces, rendered: a filter drop-down and a field's errors.</summary>
public sealed class KernelFormTests : BunitContext
{
    public KernelFormTests()
    {
        Services.AddSingleton<IStringLocalizerFactory>(new JsonStringLocalizerFactory(PortalStrings.Load()));
        Services.AddSingleton(typeof(IStringLocalizer<>), typeof(StringLocalizer<>));
    }

    [Fact]
    public void a_filter_select_is_labelled_offers_all_first_and_marks_the_current_choice()
    {
        var select = Render<FilterSelect>(p => p
            .Add(c => c.Id, "sector")
            .Add(c => c.Label, "Sector")
            .Add(c => c.Options, [new FilterOption("health", "Health", false), new FilterOption("finance", "Finance", true)]));

        Assert.Equal("sector", select.Find("label").GetAttribute("for"));
        Assert.Equal("sector", select.Find("select").GetAttribute("name"));
        var options = select.FindAll("option");
        Assert.Equal(["", "health", "finance"], options.Select(o => o.GetAttribute("value")));
        Assert.Equal("All", options[0].TextContent);
        Assert.Equal([false, false, true], options.Select(o => o.HasAttribute("selected")));
    }

    [Fact]
    public void a_filter_select_without_all_offers_only_its_options()
    {
        var select = Render<FilterSelect>(p => p
            .Add(c => c.Id, "status")
            .Add(c => c.Name, "s")
            .Add(c => c.Label, "Status")
            .Add(c => c.IncludeAll, false)
            .Add(c => c.Options, [new FilterOption("open", "Open", true)]));

        Assert.Equal("s", select.Find("select").GetAttribute("name"));
        Assert.Equal(["open"], select.FindAll("option").Select(o => o.GetAttribute("value")));
    }

    [Fact]
    public void a_field_error_shows_only_its_fields_messages_under_the_id_the_input_points_to()
    {
        var error = Render<FieldError>(p => p
            .Add(c => c.Errors, [new DomainError("EvidenceNote.Required", "EvidenceNote"), new DomainError("Level.OutOfRange", "Level")])
            .Add(c => c.Field, "Level")
            .Add(c => c.Id, "level-error"));

        var span = error.Find("span.field-error");
        Assert.Equal("level-error", span.Id);
        Assert.DoesNotContain("EvidenceNote", span.TextContent, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(span.TextContent));
    }
}
