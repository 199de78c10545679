using System.Diagnostics.CodeAnalysis;

// The forum's parts are named for what they are (Screen, Polls, Links, Operator); "Operator" is a keyword only in
// Visual Basic, and this assembly has no consumers outside the portal and its tests.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace",
    Target = "~N:CoordinationPortal.Web.Forum.Operator", Justification = "Named for the operator's panel; no Visual Basic consumers.")]
