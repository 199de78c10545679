using CoordinationPortal.Domain.Forum;

namespace CoordinationPortal.Web.Forum.Screen;

/// <summary>
/// Which language the room screen speaks at a moment. Alternating turns with the rotation: a screen that rotates shows
/// every panel of the rotation in English, then every one in Hindi (turning at each step would show each panel in the
/// same language for ever when the rotation has an even number of panels); a screen held on one panel turns its
/// language every <see cref="ScreenState.RotationSeconds"/>. forum-screen.js computes the same from the same attributes.
/// </summary>
public static class ScreenLanguages
{
    public const int DefaultSeconds = 20;

    public static string At(ScreenState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (state.Language)
        {
            case ScreenLanguage.Hindi:
                return "hi";
            case ScreenLanguage.English:
                return "en";
        }

        var seconds = state.RotationSeconds > 0 ? state.RotationSeconds : DefaultSeconds;
        var step = (long)Math.Floor(Math.Max(0, (now - state.RotationSince).TotalSeconds) / seconds);
        if (state.Rotating && !state.Paused && state.RotationPanels.Count > 0)
        {
            step /= state.RotationPanels.Count;
        }

        return step % 2 == 0 ? "en" : "hi";
    }
}
