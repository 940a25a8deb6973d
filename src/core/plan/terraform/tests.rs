//! Terraform plan reading: modules, unknown values, before and after.

use super::*;
use crate::core::testing::facts;
