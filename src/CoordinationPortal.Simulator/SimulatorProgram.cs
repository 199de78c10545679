using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace CoordinationPortal.Simulator;

/// <summary>
/// Standalone entry point:
/// <c>dotnet run --project src/CoordinationPortal.Simulator -- [--address 127.0.0.1] [--port 5090] [--profiles file.json]</c>.
/// The profiles file is a JSON object of name to profile (camelCase knobs), merged over the defaults. It listens on
/// loopback unless <c>--address</c> says otherwise.
/// </summary>
public static class SimulatorProgram
{
    private const string Usage =
        "Usage: CoordinationPortal.Simulator [--address 127.0.0.1] [--port 5090] [--profiles profiles.json]";

    public static async Task<int> Main(string[] args)
    {
        SimulatorOptions options;
        try
        {
            options = Parse(args);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or IOException or JsonException)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        await using var simulator = await InferenceSimulator.StartAsync(options);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Inference simulator listening on {simulator.BaseAddress}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Profiles under {simulator.BaseAddress}p/{{profile}}/, control page at {simulator.BaseAddress}_sim"));
        if (!IPAddress.IsLoopback(options.Address))
        {
            // Listening beyond this machine is a choice (--address), e.g. inside a container network: say what it means.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Warning: {options.Address} is not a loopback address. The control API (/_sim) has no sign-in; anything that can reach this port can change the profiles."));
        }
        await stop.Task;
        return 0;
    }

    private static SimulatorOptions Parse(string[] args)
    {
        var address = IPAddress.Loopback;
        var port = 5090;
        var profiles = new Dictionary<string, SimulatorProfile>(SimulatorProfile.DefaultProfiles, StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--address":
                    address = IPAddress.Parse(value);
                    break;
                case "--port":
                    port = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                    break;
                case "--profiles":
                    var loaded = JsonSerializer.Deserialize<Dictionary<string, SimulatorProfile>>(File.ReadAllText(value), Wire.ControlJson)
                        ?? throw new ArgumentException($"{value} holds no profiles.");
                    foreach (var (name, profile) in loaded)
                    {
                        var problems = profile.Problems();
                        if (!SimulatorState.IsValidName(name) || problems.Count > 0)
                        {
                            throw new ArgumentException($"Profile '{name}' in {value} is invalid: {string.Join("; ", problems.DefaultIfEmpty("bad name"))}.");
                        }

                        profiles[name] = profile;
                    }

                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}.");
            }

            i++;
        }

        return new SimulatorOptions { Address = address, Port = port, Profiles = profiles };
    }
}
