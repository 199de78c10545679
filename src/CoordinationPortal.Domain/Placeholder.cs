namespace CoordinationPortal.Domain; internal static class Placeholder { }
