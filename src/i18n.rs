//! Translations for the app and the CLI: Fluent files under `assets/i18n/<lang>/`, compiled
//! into the binary, one file per area (`main`, `form`, `search`, `errors`, `settings`). zh-CN
//! is the default; English is switchable. A missing key shows the key itself (never a panic),
//! and a test checks that both languages have the same keys.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Language {
    #[default]
    #[serde(rename = "zh-CN")]
    Chinese,
    #[serde(rename = "en")]
    English,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Chinese, Language::English];

    /// The language's Fluent files, one per area of the program.
    fn sources(self) -> [&'static str; 5] {
        macro_rules! files {
            ($lang:literal) => {
                [
                    include_str!(concat!("../assets/i18n/", $lang, "/main.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/form.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/search.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/errors.ftl")),
                    include_str!(concat!("../assets/i18n/", $lang, "/settings.ftl")),
                ]
            };
        }
        match self {
            Language::Chinese => files!("zh-CN"),
            Language::English => files!("en"),
        }
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Language::Chinese => unic_langid::langid!("zh-CN"),
            Language::English => unic_langid::langid!("en"),
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Language::Chinese => "简体中文",
            Language::English => "English",
        })
    }
}

/// The strings of one language.
pub struct Tr {
    pub language: Language,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tr").field("language", &self.language).finish()
    }
}

impl Tr {
    pub fn new(language: Language) -> Tr {
        let mut bundle = FluentBundle::new(vec![language.id()]);
        // No Unicode isolation marks around arguments: they show as boxes in some fonts.
        bundle.set_use_isolating(false);
        for source in language.sources() {
            let res = FluentResource::try_new(source.to_string()).unwrap_or_else(|(res, errors)| {
                tracing::warn!(?errors, "errors in the translations");
                res
            });
            if let Err(errors) = bundle.add_resource(res) {
                tracing::warn!(?errors, "duplicate messages in the translations");
            }
        }
        Tr { language, bundle }
    }

    /// The message `key`, or the key itself if it is missing.
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with named arguments.
    pub fn ta(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, FluentValue::from(*v));
        }
        self.format(key, Some(&fa))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut errors = Vec::new();
        self.bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// The keys this language defines (for the completeness test).
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .language
            .sources()
            .iter()
            .flat_map(|s| s.lines())
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
            .filter(|k| !k.is_empty() && !k.starts_with('#') && !k.starts_with(' '))
            .collect();
        keys.sort();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys_and_arguments_work() {
        let zh = Tr::new(Language::Chinese);
        let en = Tr::new(Language::English);
        assert_eq!(zh.keys(), en.keys());
        assert!(zh.keys().len() > 50);
        assert_eq!(zh.t("nav-dossiers"), "客户档案");
        assert_eq!(en.t("nav-dossiers"), "Dossiers");
        assert_eq!(zh.ta("completeness", &[("present", "5"), ("required", "7")]), "资料完整度 5/7");
        assert_eq!(zh.t("no-such-key"), "no-such-key");
    }
}
