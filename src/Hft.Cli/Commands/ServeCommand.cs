namespace Hft.Cli.Commands;

/// <summary>Placeholder until the trading server capability lands: says so plainly and exits 0.</summary>
public static class ServeCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stdout.WriteLine("hft serve: the trading server (REST, WebSocket, auth, metrics) arrives with the server capability;");
        stdout.WriteLine("this build has the matching engine only. Try: ./hft replay FILE, ./hft bench");
        return 0;
    }
}
