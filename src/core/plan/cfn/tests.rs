//! CloudFormation reading: resolution, ties between resources, located problems.

use super::*;
use crate::core::testing::facts;
