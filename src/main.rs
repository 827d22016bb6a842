//! The `pulso` binary: parse arguments, set up logging, run, and turn errors into one line.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = pulso::cli::Cli::parse();
    pulso::telemetry::init_logs(cli.log_format);
    // `run`, `bench` and `import` use every core; a one-shot command starts no worker
    // threads (see `Cli::wants_worker_threads`).
    let mut runtime = if cli.wants_worker_threads() {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = match runtime.enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(pulso::cli::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // Library errors already spell out their cause, which `{error:#}` would repeat.
            let mut message = error.to_string();
            for cause in error.chain().skip(1).map(ToString::to_string) {
                if !message.contains(&cause) {
                    message = format!("{message}: {cause}");
                }
            }
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
