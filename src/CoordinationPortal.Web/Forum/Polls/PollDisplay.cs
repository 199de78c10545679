using CoordinationPortal.Domain.Forum;
using Microsoft.Extensions.Localization;

namespace CoordinationPortal.Web.Forum.Polls;

/// <summary>How poll pages word a poll's options, kinds and bases in the reader's language.</summary>
public static class PollDisplay
{
    /// <summary>A fixed option in the reader's language; a single-choice option as the operator typed it.</summary>
    public static string OptionLabel(this IStringLocalizer text, Poll poll, string key)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(poll);
        var option = poll.Options.FirstOrDefault(o => o.Key == key);
        if (option is null)
        {
            return key;
        }

        return poll.Kind == PollKind.SingleChoice ? option.Label : text["Poll.Option." + key].Value;
    }

    public static string KindWord(this IStringLocalizer text, PollKind kind) => text["Poll.Kind." + kind].Value;

    public static string BasisWord(this IStringLocalizer text, VoteBasis basis) => text["Poll.Basis." + basis].Value;

    /// <summary>An id for an option's radio button, unique on the page.</summary>
    public static string InputId(string key) => "choice-" + string.Concat(key.Where(char.IsAsciiLetterOrDigit));
}
