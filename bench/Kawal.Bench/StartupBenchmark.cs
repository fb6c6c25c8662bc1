using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Kawal.Bench;

/// <summary>
/// Time from starting <c>kawal serve</c> on an empty data folder until <c>/health</c> answers 200: the real
/// executable, a new SQLite file, migrations and reference data included. Prints one line per run and the median.
/// </summary>
public static class StartupBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var kawal = Path.Combine(AppContext.BaseDirectory, "kawal.dll");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var folder = Directory.CreateTempSubdirectory("kawal-startup-").FullName;
            var port = FreePort();
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{kawal}\" serve --urls http://127.0.0.1:{port}")
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            while (watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(20);
            }

            var ready = watch.Elapsed.TotalMilliseconds;
            times.Add(ready);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(folder, true);
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"run {i + 1}: ready in {ready:0} ms"));
        }

        times.Sort();
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"serve on an empty data folder, ready (health 200) median {times[times.Count / 2]:0} ms, max {times[^1]:0} ms over {runs} runs, {Environment.ProcessorCount} cores"));
        return 0;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
